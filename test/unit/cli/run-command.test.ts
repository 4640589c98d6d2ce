import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/commands/run.js';
import type { CallOptions } from '../../../src/engine/ports.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { captureIo } from '../history/support/capture-io.js';
import { useTempDir } from '../journal/support/temp-dir.js';

/**
 * `firedrill run` driven through a CliIo of the test's own over a fake engine: everything the
 * command says, asks, hears and exits with goes through the io, never the process's own.
 */
const tempDir = useTempDir();
/** A run's directory as shown from the io's working directory (the workspace). */
const RUN_DIR = String.raw`runs/\d{8}T\d{6}Z-ledger-freeze-[0-9a-f]+`;

const PLAYBOOK = `version: 1
name: ledger-freeze
title: The ledger freezes
summary: The ledger's writer stops answering for a moment.
topology:
  project: books
steps:
  - name: freeze the writer
    inject: { kind: service, id: writer-frozen, service: writer, mode: pause }
  - name: let it hang
    pause: 30s
`;

/** A project "books" with a writer and a reader; `onPause` runs once the writer is paused. */
function booksEngine(onPause: () => void = () => undefined) {
  class Books extends FakeEngine {
    override async pause(id: string, opts?: CallOptions): Promise<void> {
      await super.pause(id, opts);
      onPause();
    }
  }
  return new Books(
    [
      { service: 'writer', project: 'books' },
      { service: 'reader', project: 'books' },
    ],
    { project: 'books' },
  );
}

function workspace(playbook = PLAYBOOK.replace('pause: 30s', 'pause: 5ms')) {
  const dir = tempDir();
  writeFileSync(join(dir, 'ledger-freeze.yaml'), playbook);
  return { dir, file: join(dir, 'ledger-freeze.yaml'), runsDir: join(dir, 'runs') };
}

describe('the run command, through its io', () => {
  it('writes its log and summary to the io, shows paths from the io working directory, returns the exit code', async () => {
    const { dir, file, runsDir } = workspace();
    const captured = captureIo({ cwd: dir });
    const engine = booksEngine();
    const exitCodeBefore = process.exitCode;

    const code = await runCommand(file, { runsDir, json: false }, captured.io, engine);

    expect(code).toBe(0);
    expect(process.exitCode).toBe(exitCodeBefore);
    expect(captured.exits).toEqual([]);
    const out = captured.stdout();
    expect(out).toMatch(/fault "writer-frozen" \(service\) applied to books-writer-1/);
    expect(out).toContain('Passed (exit 0)');
    expect(out).toMatch(new RegExp(`^reports: ${RUN_DIR}/report\\.md, `, 'm'));
    expect(out).toMatch(new RegExp(`^run directory: ${RUN_DIR}$`, 'm'));
    expect(engine.containersOf('writer')[0]!.status).toBe('running');
  });

  it('hears signals from the io and leaves through it: the third signal during a drill asks io.exit for code 5', async () => {
    const { dir, file, runsDir } = workspace(PLAYBOOK);
    const captured = captureIo({ cwd: dir });
    const processListeners = process.listenerCount('SIGINT');
    let listenersDuringDrill = -1;
    const engine = booksEngine(() => {
      listenersDuringDrill = captured.signals.listenerCount('SIGINT') + 10 * (process.listenerCount('SIGINT') - processListeners);
      for (let i = 0; i < 3; i += 1) captured.signals.emit('SIGINT', 'SIGINT');
    });

    const code = await runCommand(file, { runsDir, json: false }, captured.io, engine);

    // Listening on the io's signals alone, and not any more once the command returned.
    expect(listenersDuringDrill).toBe(1);
    expect(captured.signals.listenerCount('SIGINT')).toBe(0);
    expect(captured.exits).toEqual([5]);
    const err = captured.stderr();
    expect(err).toContain('firedrill: received SIGINT: aborting the drill and rolling back every fault');
    expect(err).toMatch(new RegExp(`exiting now without finishing the rollback — run \`firedrill recover ${RUN_DIR}\` to revert`));
    // The io's exit did not leave, so the rollback finished and the drill says it was aborted.
    expect(code).toBe(4);
    expect(captured.stdout()).toContain('Aborted (exit 4)');
    expect(engine.containersOf('writer')[0]!.status).toBe('running');
  });

  it('asks on the io in a terminal: the plan on its stdout, the answer from its stdin', async () => {
    const { dir, file, runsDir } = workspace();
    const captured = captureIo({ cwd: dir, terminal: true });
    const engine = booksEngine();
    captured.stdin.write('n\n');

    const code = await runCommand(file, { runsDir, json: false }, captured.io, engine);

    expect(code).toBe(4);
    expect(captured.stdout()).toContain('freeze the writer');
    expect(captured.stdout()).toContain('Run this drill? [y/N] ');
    expect(captured.stderr()).toBe('firedrill: not run — the drill was not confirmed; nothing was touched\n');
    expect(engine.callsTo('pause')).toEqual([]);
  });
});
