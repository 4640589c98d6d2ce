import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortOnSignals } from '../../../src/cli/signals.js';
import { DrillAbort } from '../../../src/run/abort.js';

function setUp() {
  const source = new EventEmitter();
  const controller = new AbortController();
  const lines: string[] = [];
  let exits = 0;
  const stop = abortOnSignals(controller, (line) => lines.push(line), {
    recoverCommand: 'firedrill recover .firedrill/runs/r1',
    exitNow: () => (exits += 1),
    source: source as unknown as NodeJS.Process,
  });
  return { send: (signal: NodeJS.Signals) => source.emit(signal, signal), controller, lines, exits: () => exits, stop, source };
}

describe('signals during a drill', () => {
  it('the first aborts the drill with a DrillAbort naming the signal', () => {
    const { send, controller, lines, exits } = setUp();
    send('SIGHUP');
    expect(controller.signal.reason).toBeInstanceOf(DrillAbort);
    expect((controller.signal.reason as DrillAbort).reason).toBe('received SIGHUP');
    expect(lines).toEqual(['received SIGHUP: aborting the drill and rolling back every fault…']);
    expect(exits()).toBe(0);
  });

  it('the second does not cut the rollback short and says the ledger stays for recover', () => {
    const { send, lines, exits } = setUp();
    send('SIGINT');
    send('SIGINT');
    expect(exits()).toBe(0);
    expect(lines[1]).toMatch(/^received SIGINT: the rollback goes on and will finish first\. Send it once more to exit at once;/);
    expect(lines[1]).toContain('stay recorded in the journal for `firedrill recover .firedrill/runs/r1`');
  });

  it('the third leaves at once, naming the recover command', () => {
    const { send, lines, exits } = setUp();
    send('SIGINT');
    send('SIGTERM');
    send('SIGINT');
    expect(exits()).toBe(1);
    expect(lines[2]).toBe(
      'received SIGINT once more: exiting now without finishing the rollback — run `firedrill recover .firedrill/runs/r1` to revert what is left',
    );
  });

  it('a drill that aborted by itself (time limit) counts the first signal as the one that warns', () => {
    const { send, controller, lines, exits } = setUp();
    controller.abort(new DrillAbort('time-limit', 'too long'));
    send('SIGINT');
    expect((controller.signal.reason as DrillAbort).cause).toBe('time-limit');
    expect(lines[0]).toMatch(/^received SIGINT: the rollback goes on/);
    send('SIGINT');
    expect(exits()).toBe(1);
  });

  it('removes its handlers when told to', () => {
    const { stop, source } = setUp();
    stop();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(source.listenerCount(signal)).toBe(0);
  });
});
