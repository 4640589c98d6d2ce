import { createDockerEngine } from '../../engine/docker-engine.js';
import { runDoctor } from '../../doctor/doctor.js';
import { CHECK_LABEL, findingWords, STATUS_WORD, verdictWords } from '../../doctor/doctor-words.js';
import type { CheckStatus, DoctorReport } from '../../doctor/findings.js';
import { ExitCode } from '../../exit-codes.js';
import { findComposeCommands } from '../../topology/compose-cli.js';
import type { CliIo } from '../io.js';
import { paintFor } from '../ui/paint.js';
import type { Paint } from '../../words/paint.js';

export interface DoctorOptions {
  runsDir: string;
  json: boolean;
}

/**
 * `firedrill doctor`: whether this machine and its engine can run drills, check by check, with
 * what to do about each miss. Exit code: Passed when ready (warnings allowed), Environment
 * otherwise. Touches nothing: helpers it runs are removed, its probe file in the runs directory too.
 */
export async function doctorCommand(opts: DoctorOptions, io: CliIo): Promise<number> {
  const report = await runDoctor({
    env: io.env,
    nodeVersion: process.versions.node,
    runsDir: opts.runsDir,
    connect: () => createDockerEngine(),
    findCompose: findComposeCommands,
  });
  io.stdout.write(opts.json ? renderJson(report) : renderText(report, paintFor(io.color(false))));
  return report.ready ? ExitCode.Passed : ExitCode.Environment;
}

/** The stable shape: { ready, checks: [{ id, status, found, fix? }] }. */
export function renderJson(report: DoctorReport): string {
  const checks = report.findings.map((f) => ({ id: f.id, status: f.status, ...findingWords(f) }));
  return `${JSON.stringify({ ready: report.ready, checks }, null, 2)}\n`;
}

export function renderText(report: DoctorReport, paint: Paint): string {
  const labelWidth = Math.max(...report.findings.map((f) => CHECK_LABEL[f.id].length));
  const lines = report.findings.flatMap((f) => {
    const words = findingWords(f);
    const status = paintStatus(f.status, paint)(STATUS_WORD[f.status].padEnd(4));
    const label = CHECK_LABEL[f.id].padEnd(labelWidth);
    const indent = ' '.repeat(4 + 2 + labelWidth + 2);
    return [`${status}  ${label}  ${words.found}`, ...(words.fix ? [`${indent}${paint.dim('fix:')} ${words.fix}`] : [])];
  });
  const verdict = report.ready ? paint.good(verdictWords(report)) : paint.bad(verdictWords(report));
  return `${lines.join('\n')}\n\n${verdict}\n`;
}

function paintStatus(status: CheckStatus, paint: Paint): (text: string) => string {
  if (status === 'ok') return paint.good;
  if (status === 'warn') return paint.warn;
  if (status === 'fail') return paint.bad;
  return paint.dim;
}
