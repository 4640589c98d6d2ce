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
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * Starts `firedrill run` and resolves once its output says the fault is in effect (bounded).
 * The process is returned inside an object: a bare execa promise is thenable and would be awaited.
 */
export async function runUntilFaultApplied(file: string, runsDir: string): Promise<{ child: ResultPromise }> {
  const child = firedrill(['run', file, '--runs-dir', runsDir]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fault was never applied')), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('in effect')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child };
}
