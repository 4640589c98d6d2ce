import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/action.js';
import { ACTION_OUTPUT_CAP_CHARS, execAction, execActionSchema } from '../../../src/actions/exec.js';
import { ScopeError } from '../../../src/errors.js';
import { FakeEngine } from '../../support/fake-engine.js';

function setup(signal: AbortSignal = new AbortController().signal) {
  const engine = new FakeEngine([{ service: 'store-b' }, { service: 'store-b' }]);
  const ctx: ActionContext = { engine, topology: engine.topology(), signal };
  return { engine, ctx };
}

function spec(input: Record<string, unknown> = {}) {
  return execActionSchema.parse({ kind: 'exec', service: 'store-b', command: ['redis-cli', 'replicaof', 'no', 'one'], ...input });
}

describe('execAction', () => {
  it('runs in every running container and succeeds when each exits as expected', async () => {
    const { engine, ctx } = setup();
    engine.onExec(() => ({ exitCode: 0, stdout: 'OK\n', stderr: '' }));
    const result = await execAction.run(spec(), ctx);
    expect(result).toEqual({
      ok: true,
      summary: 'exit 0 in store-b (demo-store-b-1, demo-store-b-2)',
      output: '[demo-store-b-1]\nOK\n[demo-store-b-2]\nOK',
    });
    expect(engine.callsTo('exec').map((args) => args.slice(1))).toEqual([
      [['redis-cli', 'replicaof', 'no', 'one'], 30_000],
      [['redis-cli', 'replicaof', 'no', 'one'], 30_000],
    ]);
  });

  it('skips containers that are not running, checked now rather than from the topology snapshot', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-store-b-2', { status: 'exited' });
    engine.onExec(() => ({ exitCode: 0, stdout: ' OK \n', stderr: '' }));
    const result = await execAction.run(spec(), ctx);
    expect(result).toEqual({ ok: true, summary: 'exit 0 in store-b (demo-store-b-1); skipped demo-store-b-2 (exited)', output: 'OK' });
    expect(engine.callsTo('exec').map(([id]) => id)).toEqual([engine.container('demo-store-b-1').id]);
  });

  it('fails when no container is running, without running anything', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-store-b-1', { status: 'paused' });
    engine.setState('demo-store-b-2', { status: 'exited' });
    const result = await execAction.run(spec(), ctx);
    expect(result).toEqual({ ok: false, summary: 'no running container in store-b (demo-store-b-1 (paused), demo-store-b-2 (exited))' });
    expect(engine.callsTo('exec')).toHaveLength(0);
  });

  it('fails naming the container whose exit code or output is wrong', async () => {
    const { engine, ctx } = setup();
    engine.onExec((id) =>
      id === engine.container('demo-store-b-2').id
        ? { exitCode: 1, stdout: '', stderr: 'ERR not allowed\n' }
        : { exitCode: 0, stdout: 'OK', stderr: '' },
    );
    const result = await execAction.run(spec(), ctx);
    expect(result.ok).toBe(false);
    expect(result.summary).toBe('exit 1 (expected 0) in store-b (demo-store-b-2): ERR not allowed');
    expect(result.output).toContain('[demo-store-b-2]\nERR not allowed');
  });

  it('counts further failures and reports an exec error as a failure', async () => {
    const { engine, ctx } = setup();
    engine.failNext('exec', new Error('container gone'));
    engine.onExec(() => ({ exitCode: 0, stdout: 'nope', stderr: '' }));
    const result = await execAction.run(spec({ expect: { outputContains: 'OK' } }), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'exec failed: container gone in store-b (demo-store-b-1); 1 more failed' });
  });

  it('caps the captured output for the journal', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-store-b-2', { status: 'exited' });
    engine.onExec(() => ({ exitCode: 0, stdout: 'y'.repeat(10_000), stderr: '' }));
    const result = await execAction.run(spec(), ctx);
    expect(result.output).toBe(`${'y'.repeat(ACTION_OUTPUT_CAP_CHARS)}… (${10_000 - ACTION_OUTPUT_CAP_CHARS} more characters)`);
  });

  it('leaves output out when there is none', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-store-b-2', { status: 'exited' });
    const result = await execAction.run(spec(), ctx);
    expect(result).not.toHaveProperty('output');
  });

  it('does nothing when already aborted, and reports an abort during the command', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const first = setup(aborted.signal);
    expect(await execAction.run(spec(), first.ctx)).toEqual({ ok: false, summary: 'aborted' });
    expect(first.engine.calls).toHaveLength(0);

    const controller = new AbortController();
    const second = setup(controller.signal);
    second.engine.onExec(() => {
      controller.abort();
      return new Promise(() => undefined);
    });
    expect(await execAction.run(spec(), second.ctx)).toMatchObject({ ok: false, summary: 'aborted' });
  });

  it('throws ScopeError for an unknown service', async () => {
    const { ctx } = setup();
    await expect(execAction.run(spec({ service: 'other' }), ctx)).rejects.toBeInstanceOf(ScopeError);
  });

  it('describes itself', () => {
    expect(execAction.describe(spec())).toBe('run `redis-cli replicaof no one` in every running container of store-b');
  });
});
