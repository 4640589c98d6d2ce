import { messageOf, UsageError } from '../../errors.js';
import { renderHistoryTable } from '../../history/history-table.js';
import { listRuns, type RunListing } from '../../history/run-index.js';
import { buildTrends } from '../../history/trend.js';
import { renderTrendHtml } from '../../history/trend-html.js';
import { renderTrendText } from '../../history/trend-text.js';
import { count } from '../../words/number-words.js';
import { paintFor } from '../ui/paint.js';
import type { CliIo } from '../io.js';

export interface HistoryOptions {
  runsDir: string;
  /** Only runs of this playbook (its `name`). */
  playbook?: string;
  /** Only the last n runs. */
  limit?: number;
  json: boolean;
  /** Recovery times over runs, per playbook and objective, instead of the run table. */
  trend: boolean;
  /** Also write the trends as a self-contained HTML page to this file. */
  html?: string;
}

/**
 * `firedrill history`: the runs kept in the runs directory, from their journals alone. A run
 * whose journal cannot be read is listed as unreadable, with the reason; it never stops the rest.
 */
export async function historyCommand(opts: HistoryOptions, io: CliIo): Promise<number> {
  const runs = await listRuns(opts.runsDir, {
    ...(opts.playbook !== undefined ? { playbook: opts.playbook } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
  });
  const trends = opts.trend || opts.html !== undefined ? buildTrends(runs) : undefined;
  if (opts.html !== undefined && trends) await writePage(opts.html, renderTrendHtml(trends));

  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ runsDir: opts.runsDir, runs, ...(trends ? { trends } : {}) }, null, 2)}\n`);
  } else if (runs.length === 0) {
    io.stdout.write(`${emptyMessage(opts)}\n`);
  } else {
    const color = io.color(false);
    const paint = paintFor(color);
    const body = opts.trend && trends ? renderTrendText(trends, paint) : renderHistoryTable(runs, paint, color);
    io.stdout.write(`${body}\n${paint.dim(footer(runs, opts))}\n`);
  }
  if (opts.html !== undefined) (opts.json ? io.stderr : io.stdout).write(`wrote ${opts.html}\n`);
  return 0;
}

function emptyMessage(opts: HistoryOptions): string {
  const where = `in ${opts.runsDir}`;
  if (opts.playbook !== undefined)
    return `no runs of playbook ${opts.playbook} ${where} — check the name (it is the playbook's \`name:\`), or drop --playbook to see every run`;
  return `no runs ${where} yet — \`firedrill run <playbook>\` keeps each run there; give --runs-dir if yours are kept elsewhere`;
}

function footer(runs: readonly RunListing[], opts: HistoryOptions): string {
  const unreadable = runs.filter((run) => !run.readable).length;
  const limited = opts.limit !== undefined ? ` (the last ${opts.limit} at most)` : '';
  const damaged = unreadable > 0 ? `, ${unreadable} of them unreadable (the reason is on the run's line)` : '';
  return `${count(runs.length, 'run')} in ${opts.runsDir}${limited}${damaged}`;
}

/** Written under a temporary name and renamed: a reader never sees half a page. */
async function writePage(file: string, html: string): Promise<void> {
  // The report writer brings every renderer (markdown-it among them); only --html needs it.
  const { writeAtomically } = await import('../../report/write-reports.js');
  try {
    await writeAtomically(file, html);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${messageOf(error)} — give --html a file in a directory that exists and is writable`);
  }
}
