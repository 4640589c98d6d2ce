import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { FixtureProject } from '../integration/compose-project.js';
import { firedrill } from './cli-process.js';

/**
 * Writes a playbook that injects one fault into a fixture project and then waits for a
 * condition that never holds, so the drill is still running, fault applied, when a test
 * interrupts or kills it.
 */
export function neverRecoveringPlaybook(dir: string, fixture: FixtureProject, name: string, inject: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  const lines = [
    `name: ${name}`,
    'title: Interrupted drill',
    'summary: A drill that is stopped while its fault is applied.',
    'topology:',
    `  composeFile: ${fixture.file}`,
    `  project: ${fixture.project}`,
    'steps:',
    '  - name: inject',
    `    inject: ${JSON.stringify(inject)}`,
    '  - name: wait for something that never happens',
    '    wait: { probe: { kind: exec, service: client, command: ["false"] }, every: 500ms, timeout: 2m }',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Starts `firedrill run` and resolves once its output says the fault was applied (bounded): the
 * sentence of `fault.applied`, `fault "<id>" (<kind>) applied to <containers>`.
 * The process is returned inside an object: a bare execa promise is thenable and would be awaited.
 */
const FAULT_APPLIED = /fault "[^"]+" \([a-z-]+\) applied to /;

export async function runUntilFaultApplied(file: string, runsDir: string): Promise<{ child: ResultPromise }> {
  const child = firedrill(['run', file, '--runs-dir', runsDir]);
  await new Promise<void>((resolve, reject) => {
    // All of the output so far: the phrase may arrive split across two chunks.
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (FAULT_APPLIED.test(output)) settle();
    };
    const timer = setTimeout(
      () => settle(new Error(`the fault was never applied within 60 s; the drill printed: ${output.slice(-2000)}`)),
      60_000,
    );
    let settled = false;
    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    // The process never rejects (reject: false); its end before the phrase is a failure.
    void child.then(() => settle(new Error(`the drill ended before the fault was applied; it printed: ${output.slice(-2000)}`)));
  });
  return { child };
}
