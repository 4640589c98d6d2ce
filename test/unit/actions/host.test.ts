import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/action.js';
import { hostAction, hostActionSchema } from '../../../src/actions/host.js';
import { FakeEngine } from '../../support/fake-engine.js';

// Real commands on the host: sh, true, false, echo.

function context(signal: AbortSignal = new AbortController().signal): ActionContext {
  const engine = new FakeEngine([{ service: 'web' }]);
  return { engine, topology: engine.topology(), signal };
}

function spec(input: Record<string, unknown>) {
  return hostActionSchema.parse({ kind: 'host', ...input });
}

describe('hostAction', () => {
  it('succeeds on exit 0 and keeps the trimmed output', async () => {
    const result = await hostAction.run(spec({ command: 'echo promoted; echo note >&2' }), context());
    expect(result).toEqual({ ok: true, summary: 'exit 0', output: 'promoted\n\nnote' });
  });

  it('fails on an unexpected exit code, with the first line of output in the summary', async () => {
    const result = await hostAction.run(spec({ command: 'echo "no quorum" >&2; exit 2' }), context());
    expect(result).toEqual({ ok: false, summary: 'exit 2 (expected 0): no quorum', output: 'no quorum' });
  });

  it('leaves output out when the command printed nothing', async () => {
    expect(await hostAction.run(spec({ command: ['true'] }), context())).toEqual({ ok: true, summary: 'exit 0' });
    expect(await hostAction.run(spec({ command: ['false'] }), context())).toEqual({ ok: false, summary: 'exit 1 (expected 0)' });
  });

  it('checks output expectations', async () => {
    const result = await hostAction.run(spec({ command: ['echo', 'done'], expect: { outputContains: 'promoted' } }), context());
    expect(result).toMatchObject({ ok: false, summary: 'exit 0, output lacks "promoted": done' });
  });

  it('times out and keeps what was printed', async () => {
    const result = await hostAction.run(spec({ command: 'echo step 1; sleep 30', timeout: '200ms' }), context());
    expect(result).toEqual({ ok: false, summary: 'timed out after 200ms', output: 'step 1' });
  });

  it('reports a missing command and an abort as failures', async () => {
    const missing = await hostAction.run(spec({ command: ['firedrill-no-such-command-xyz'] }), context());
    expect(missing).toEqual({ ok: false, summary: 'command not found: firedrill-no-such-command-xyz' });
    const controller = new AbortController();
    const pending = hostAction.run(spec({ command: 'sleep 30' }), context(controller.signal));
    controller.abort();
    expect(await pending).toEqual({ ok: false, summary: 'aborted' });
  });

  it('describes itself', () => {
    expect(hostAction.describe(spec({ command: ['./failover.sh', '--region', 'b'] }))).toBe('run `./failover.sh --region b` on the host');
  });
});
