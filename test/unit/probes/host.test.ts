import { describe, expect, it } from 'vitest';
import { hostProbe, hostProbeSchema, runOnHost } from '../../../src/probes/host.js';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

// Real commands on the host: sh, true, false, echo. No network, no files.

function context(signal: AbortSignal = new AbortController().signal): ProbeContext {
  const engine = new FakeEngine([{ service: 'web' }]);
  return { engine, topology: engine.topology(), signal, clock: systemClock };
}

function spec(input: Record<string, unknown>) {
  return hostProbeSchema.parse({ kind: 'host', ...input });
}

describe('hostProbe', () => {
  it('holds on exit 0 and fails on another exit code', async () => {
    expect(await hostProbe.run(spec({ command: ['true'] }), context())).toMatchObject({ ok: true, summary: 'exit 0' });
    const failed = await hostProbe.run(spec({ command: ['false'] }), context());
    expect(failed).toMatchObject({ ok: false, summary: 'exit 1 (expected 0)', observed: { exitCode: 1 } });
  });

  it('runs one string through sh -c, and checks stdout and stderr together', async () => {
    const ok = await hostProbe.run(spec({ command: 'echo ready; echo warn >&2', expect: { outputContains: 'warn' } }), context());
    expect(ok.ok).toBe(true);
    const lacks = await hostProbe.run(spec({ command: 'echo LOADING', expect: { outputMatches: '^ready$' } }), context());
    expect(lacks).toMatchObject({ ok: false, summary: 'exit 0, output does not match /^ready$/: LOADING' });
  });

  it('passes arguments as given, without a shell', async () => {
    const result = await hostProbe.run(
      spec({ command: ['echo', '$HOME; exit 3'], expect: { outputContains: '$HOME; exit 3' } }),
      context(),
    );
    expect(result).toMatchObject({ ok: true, summary: 'exit 0' });
  });

  it('accepts an expected non-zero exit code', async () => {
    const result = await hostProbe.run(spec({ command: 'exit 3', expect: { exitCode: 3 } }), context());
    expect(result.ok).toBe(true);
  });

  it('reports a missing command as data', async () => {
    const result = await hostProbe.run(spec({ command: ['firedrill-no-such-command-xyz'] }), context());
    expect(result).toMatchObject({
      ok: false,
      summary: 'command not found: firedrill-no-such-command-xyz',
      observed: { failure: 'spawn' },
    });
  });

  it('times out, ending the command and whatever it started', async () => {
    const result = await hostProbe.run(spec({ command: 'sleep 30; echo done', timeout: '200ms' }), context());
    expect(result).toMatchObject({ ok: false, summary: 'timed out after 200ms', observed: { failure: 'timeout' } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('resolves "aborted" when the drill aborts', async () => {
    const controller = new AbortController();
    const pending = hostProbe.run(spec({ command: 'sleep 30', timeout: '60s' }), context(controller.signal));
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, summary: 'aborted' });
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('describes itself', () => {
    expect(hostProbe.describe(spec({ command: 'curl -fsS http://127.0.0.1:8080/' }))).toBe(
      '`curl -fsS http://127.0.0.1:8080/` on the host → exit 0',
    );
  });
});

describe('runOnHost', () => {
  it('keeps at most capBytes of each stream and says how much it dropped', async () => {
    const run = await runOnHost(['sh', '-c', 'printf 0123456789; printf abc >&2'], {
      timeoutMs: 5000,
      signal: new AbortController().signal,
      capBytes: 4,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('0123\n… (6 more bytes)');
    expect(run.stderr).toBe('abc');
  });

  it('ends a command that ignores SIGTERM with SIGKILL a second later', async () => {
    const run = await runOnHost(['sh', '-c', 'trap "" TERM; sleep 30'], {
      timeoutMs: 100,
      signal: new AbortController().signal,
      capBytes: 1024,
    });
    expect(run).toMatchObject({ failure: 'timeout', message: 'timed out after 100ms' });
    expect(run.durationMs).toBeGreaterThanOrEqual(1000);
    expect(run.durationMs).toBeLessThan(4000);
  });

  it('keeps the output printed before a timeout', async () => {
    const run = await runOnHost(['sh', '-c', 'echo started; sleep 30'], {
      timeoutMs: 300,
      signal: new AbortController().signal,
      capBytes: 1024,
    });
    expect(run).toMatchObject({ failure: 'timeout', stdout: 'started\n' });
  });
});
