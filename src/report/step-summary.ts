import { open, appendFile } from 'node:fs/promises';
import { messageOf } from '../errors.js';
import { table } from './markdown-text.js';
import { capitalised, code, inline } from '../words/markdown-text.js';
import { verdictLine } from './markdown.js';
import type { DrillModel, FaultModel } from './model-types.js';
import { faultsMayRemain, objectiveEveryMs, objectiveLabel, objectiveResult, revertState } from './report-words.js';
import { ABORT_CAUSE } from '../sentences/verdict-words.js';
import { formatMeasured, formatOffset, formatResolution, formatTarget } from '../words/time-format.js';
import { redactForCustomer } from './redact.js';

/**
 * The drill in a few lines of GitHub-flavoured Markdown for a CI job's summary page
 * ($GITHUB_STEP_SUMMARY): the verdict, each objective measured against its target, each fault
 * and whether it was rolled back. Words, not symbols, for every status, so it reads the same
 * in a plain-text log. Pure: the same model gives the same text.
 */
export function renderStepSummary(model: DrillModel): string {
  const title = model.playbook ? inline(model.playbook.title) : 'an unnamed drill';
  const parts = [`### firedrill: ${title}`, verdictLine(model)];
  if (model.abort) parts.push(`Stopped early — ${ABORT_CAUSE[model.abort.cause]}: ${inline(model.abort.reason)}.`);
  parts.push(objectivesTable(model), faultsTable(model));
  if (faultsMayRemain(model)) parts.push("**Faults may still be in effect.** Run `firedrill recover` on this run's directory.");
  parts.push(footer(model));
  return `${parts.join('\n\n')}\n`;
}

/**
 * Appends to the summary file, creating it when missing, never overwriting: other steps of
 * the job write there too. Starts a new paragraph when the file already holds text.
 */
export async function appendStepSummary(path: string, text: string): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const last = await lastCharacter(path);
  const separator = last === null ? '' : last === '\n' ? '\n' : '\n\n';
  await appendFile(path, `${separator}${body}`, 'utf8');
}

/**
 * When $GITHUB_STEP_SUMMARY names a file, appends the drill's summary to it. A summary that
 * cannot be written is said on `warn` and does not change the run's outcome: the drill's
 * exit code stands, and the reports are in the run directory. The summary is made from the
 * customer report's redacted model (redact.ts), as a job summary may be read by anyone.
 */
export async function publishStepSummary(env: NodeJS.ProcessEnv, model: DrillModel, warn: (line: string) => void): Promise<void> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    // Job summaries are public on public repositories: they get what customers may see.
    await appendStepSummary(path, renderStepSummary(redactForCustomer(model)));
  } catch (error) {
    warn(`could not append the step summary to ${path} (${messageOf(error)}); the reports in the run directory have the results`);
  }
}

function objectivesTable(model: DrillModel): string {
  if (model.objectives.length === 0) return 'This playbook sets no objectives.';
  const rows = model.objectives.map((o) => [
    capitalised(inline(objectiveLabel(o))),
    formatTarget(o.targetMs),
    o.measuredMs === null ? 'not measured' : formatMeasured(o.measuredMs),
    o.measuredMs === null ? '—' : formatResolution(o.resolutionMs, objectiveEveryMs(model, o)),
    inline(objectiveResult(o).text),
  ]);
  return table(['Objective', 'Target', 'Measured', 'Resolution', 'Result'], rows);
}

function faultsTable(model: DrillModel): string {
  if (model.faults.length === 0) return 'No fault was injected.';
  const rows = model.faults.map((f) => [code(f.ref), inline(f.describe ?? f.kind), inline(f.kind), rolledBack(model, f)]);
  return table(['Fault', 'What it did', 'Kind', 'Rolled back'], rows);
}

function rolledBack(model: DrillModel, f: FaultModel): string {
  const state = revertState(model, f);
  switch (state.kind) {
    case 'verified':
      return `yes, verified at ${formatOffset(state.revert.atMs)}`;
    case 'not-verified':
      return `**not verified**: ${inline(state.revert.problems.join('; ') || 'no detail recorded')}`;
    case 'left-in-place':
      return `**no**, left in place: ${inline(state.reason)}`;
    case 'not-applied':
      return 'not needed: it could not be applied';
    case 'not-revertible':
      return 'cannot be reverted automatically';
    case 'journal-ends-early':
      return '**unknown**: no revert recorded before the journal ends';
    case 'no-revert':
      return '**no** revert recorded';
  }
}

function footer(model: DrillModel): string {
  const facts: string[] = [];
  if (model.runId) facts.push(`run ${code(model.runId)}`);
  if (model.playbook) facts.push(`playbook ${code(model.playbook.name)} (${code(model.playbook.file)})`);
  facts.push(model.finished ? `took ${formatMeasured(model.durationMs)}` : 'the journal ends early');
  if (model.firedrillVersion) facts.push(`firedrill ${inline(model.firedrillVersion)}`);
  return capitalised(facts.join(' · '));
}

/** The file's last character, or null when it is missing or empty. */
async function lastCharacter(path: string): Promise<string | null> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer.toString('latin1');
  } finally {
    await handle.close();
  }
}
