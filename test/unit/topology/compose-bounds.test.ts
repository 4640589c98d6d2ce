import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePlaybooks } from '../../../src/playbook/load.js';
import { readComposeFile } from '../../../src/playbook/compose-file.js';
import { readComposeProject } from '../../../src/scaffold/compose-services.js';
import { writeWorstComposeFiles } from '../../fixtures/compose-shapes/worst-compose-files.mjs';

/**
 * Compose files built to be hard to read are refused with a clear problem before anything
 * else reads them: the compose CLI is never asked (a command that cannot run stands in for
 * it, and would fail the read), and `validate` of a playbook naming one says why on one line.
 * Their time and memory are measured by bench/compose-read.mjs.
 */

type WorstCase = ReturnType<typeof writeWorstComposeFiles>[number];

const NO_CLI = { argv: ['/nonexistent/compose-must-not-run'], version: '2.30.0', flavour: 'v2' as const };
let dir: string;
let cases: WorstCase[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-compose-bounds-'));
  cases = writeWorstComposeFiles(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('compose files built to be hard to read', () => {
  it('are refused with what is wrong, before any compose CLI is asked', async () => {
    for (const input of cases.filter((c) => c.problem !== null)) {
      const read = await readComposeFile(input.composePath, { compose: NO_CLI, environment: {} });
      expect(read.ok, input.name).toBe(false);
      if (!read.ok) expect(read.problem, input.name).toContain(input.problem);
    }
  });

  it('the same for init, as a usage error naming the file', async () => {
    const long = cases.find((c) => c.name.startsWith('40,000'))!;
    await expect(readComposeProject(long.composePath, { reader: 'built-in', environment: {} })).rejects.toThrow(
      `the compose file ${long.composePath} has a service name of 40,000 characters`,
    );
  });

  it('validate names each in one line at the composeFile value, the message cut short', async () => {
    const results = await validatePlaybooks(cases.map((c) => c.playbookPath));
    results.forEach((result, index) => {
      const input = cases[index]!;
      if (input.problem === null) {
        expect(result.issues, input.name).toEqual([]);
        return;
      }
      expect(result.issues.length, input.name).toBe(1);
      const [issue] = result.issues;
      expect(issue).toMatchObject({ line: 5, column: 16 });
      expect(issue!.message).toContain(input.problem);
      expect(issue!.message.length).toBeLessThan(400);
      expect(issue!.message).not.toMatch(/[\n\u001b]/);
    });
  });
});

describe('service names compose does not accept', () => {
  it('are refused by name, the name escaped so it cannot reach the terminal raw', async () => {
    const file = join(dir, 'odd-name.yaml');
    await writeFile(file, 'services:\n  "web\\e[2J\\nrm -rf":\n    image: nginx\n');
    expect(await readComposeFile(file, { compose: NO_CLI, environment: {} })).toEqual({
      ok: false,
      problem: 'has a service name compose does not accept: "web\\u001b[2J\\nrm -rf"',
      hint: 'service names are made of letters, digits, ".", "_" and "-"',
    });
  });
});
