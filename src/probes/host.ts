import { z } from 'zod';
import type { ExecResult } from '../engine/ports.js';
import { command, commandExpectation } from '../spec/common.js';
import { duration } from '../spec/duration.js';
import { type Check, checkCommandResult, describeCommandOutcome, formatCommand, formatMs } from './expectations.js';
import { nsToMs, systemClock, type Clock } from '../clock.js';
import { commandExpectationText, shownPlain } from './expectation-words.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';

/** A command run on the machine running firedrill (through execa, no shell unless asked). */
export const hostProbeSchema = z.strictObject({
  kind: z.literal('host'),
  name: z.string().optional(),
  command,
  timeout: duration({ min: 10, max: 300_000 }).default(10_000),
  expect: commandExpectation,
});
export type HostProbeSpec = z.output<typeof hostProbeSchema>;

export const hostProbe: Probe<HostProbeSpec, typeof hostProbeSchema> = {
  kind: 'host',
  schema: hostProbeSchema,
  describe: (spec) => `\`${shownPlain(formatCommand(spec.command))}\` on the host → ${commandExpectationText(spec.expect)}`,
  run: runHostProbe,
};

/** Output kept per stream; the rest is read and dropped so the command never blocks on a full pipe. */
const PROBE_OUTPUT_CAP_BYTES = 64 * 1024;

async function runHostProbe(spec: HostProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const run = await runOnHost(spec.command, {
    timeoutMs: spec.timeout,
    signal: ctx.signal,
    capBytes: PROBE_OUTPUT_CAP_BYTES,
    clock: ctx.clock,
  });
  const verdict = judgeHostRun(run, spec.expect);
  const observed = {
    ...(run.exitCode === undefined ? { failure: run.failure } : { exitCode: run.exitCode }),
    ...(verdict.check.reason ? { reason: verdict.check.reason } : {}),
  };
  return { ok: verdict.check.ok, summary: verdict.summary, latencyMs: run.durationMs, observed };
}

/** A host command's verdict and its words, whether it exited or never did. */
export function judgeHostRun(run: HostRun, expect: HostProbeSpec['expect']): { check: Check; summary: string } {
  if (run.exitCode === undefined) {
    const reason = run.message ?? run.failure ?? 'failed';
    return { check: { ok: false, reason }, summary: reason };
  }
  const result = { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
  const check = checkCommandResult(result, expect);
  return { check, summary: describeCommandOutcome(result, check) };
}

/** How a host command ended: with an exit code, or not at all (failure); output either way. */
export interface HostRun extends Omit<ExecResult, 'exitCode'> {
  exitCode?: number;
  failure?: 'timeout' | 'aborted' | 'spawn' | 'signal';
  /** Words for a failure: "timed out after 10s", "command not found: foo", "killed by SIGSEGV". */
  message?: string;
  durationMs: number;
}

/**
 * Runs argv on the host without a shell. The command gets its own process group so a
 * timeout or abort ends it and anything it started (sh -c 'sleep 60' leaves a child that
 * would otherwise hold the output pipe open): SIGTERM to the group, SIGKILL a second later.
 * Its duration is measured on `clock`; the system clock when none is given (an action does not report it).
 */
export async function runOnHost(
  argv: readonly string[],
  opts: { timeoutMs: number; signal: AbortSignal; capBytes: number; clock?: Clock },
): Promise<HostRun> {
  const clock = opts.clock ?? systemClock;
  const [file = '', ...args] = argv;
  // Loaded here (the playbook schema imports this file, and validate runs nothing), before the abort
  // check and the clock: an abort that comes while execa loads is seen below.
  const { execa } = await import('execa');
  if (opts.signal.aborted) return { failure: 'aborted', message: 'aborted', stdout: '', stderr: '', durationMs: 0 };
  const started = clock.now();
  const subprocess = execa(file, args, { reject: false, buffer: false, stdin: 'ignore', detached: true });
  const stdout = captureCapped(subprocess.stdout, opts.capBytes);
  const stderr = captureCapped(subprocess.stderr, opts.capBytes);
  let endedBy: 'timeout' | 'aborted' | undefined;
  const end = (why: 'timeout' | 'aborted'): void => {
    endedBy ??= why;
    killGroup(subprocess.pid);
  };
  const timer = setTimeout(() => end('timeout'), opts.timeoutMs);
  const onAbort = (): void => end('aborted');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await subprocess;
    const seen = { stdout: stdout.text(), stderr: stderr.text(), durationMs: nsToMs(clock.now() - started) };
    if (endedBy === 'timeout') return { ...seen, failure: endedBy, message: `timed out after ${formatMs(opts.timeoutMs)}` };
    if (endedBy === 'aborted') return { ...seen, failure: endedBy, message: 'aborted' };
    if (outcome.exitCode !== undefined) return { ...seen, exitCode: outcome.exitCode };
    if (outcome.signal) return { ...seen, failure: 'signal', message: `killed by ${outcome.signal}` };
    const message = describeSpawnFailure(outcome.code, file, outcome.shortMessage ?? 'could not start');
    return { ...seen, failure: 'spawn', message };
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  }
}

function describeSpawnFailure(code: string | undefined, file: string, fallback: string): string {
  if (code === 'ENOENT') return `command not found: ${file}`;
  if (code === 'EACCES') return `permission denied: ${file}`;
  return fallback;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), 1000).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already gone, which is what we wanted.
  }
}

/** Keeps the first `cap` bytes of a stream and drains the rest. */
function captureCapped(stream: NodeJS.ReadableStream | null, cap: number): { text(): string } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  stream?.on('data', (chunk: Buffer) => {
    const take = Math.min(chunk.length, cap - kept);
    if (take > 0) chunks.push(chunk.subarray(0, take));
    kept += take;
    dropped += chunk.length - take;
  });
  return {
    text: () => Buffer.concat(chunks).toString('utf8') + (dropped > 0 ? `\n… (${dropped} more bytes)` : ''),
  };
}
