import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../../src/errors.js';
import { loadPlaybook, MAX_PLAYBOOK_BYTES, validatePlaybooks } from '../../../src/playbook/load.js';

const fixtures = fileURLToPath(new URL('../../fixtures/playbooks/', import.meta.url));

const MINIMAL = `name: tiny
title: Tiny
summary: The smallest valid playbook.
topology:
  project: shop
steps:
  - name: pause
    pause: 1s
`;

describe('valid playbooks', () => {
  it('loads a full playbook, resolving the compose file against its directory and deriving the project', async () => {
    const file = join(fixtures, 'valid/region-failover.yaml');
    const bytes = await readFile(file);
    const loaded = await loadPlaybook(file);

    expect(loaded.file).toBe(file);
    expect(loaded.path).toBe(file);
    expect(loaded.dir).toBe(join(fixtures, 'valid'));
    expect(loaded.source).toBe(bytes.toString('utf8'));
    expect(loaded.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(loaded.composeFile).toBe(join(fixtures, 'compose/Shop.Demo/docker-compose.yml'));
    // "Shop.Demo" as compose names it: lowercased, "." dropped.
    expect(loaded.project).toBe('shopdemo');
  });

  it('gives the parsed playbook with defaults applied and durations in milliseconds', async () => {
    const { playbook } = await loadPlaybook(join(fixtures, 'valid/region-failover.yaml'));
    const wait = playbook.steps[2]?.wait;
    expect(wait).toMatchObject({ every: 250, timeout: 90_000, rto: 30_000, from: 'eu-down', consecutive: 1 });
    // The anchored steady-state probe is reused by the wait step through an alias.
    expect(wait?.probe).toEqual(playbook.steadyState?.probes[0]);
    expect(playbook.timeLimit).toBe(600_000);
    expect(playbook.topology.regionLabel).toBe('firedrill.region');
  });

  it('keeps an explicit project and has no compose file when none is named', async () => {
    const loaded = await loadPlaybook(join(fixtures, 'valid/explicit-project.yaml'));
    expect(loaded.project).toBe('shop-staging');
    expect(loaded.composeFile).toBeUndefined();
    expect('composeFile' in loaded).toBe(false);
  });

  it('keeps the path as given in `file` and issues, and resolves `path` against the working directory', async () => {
    const given = relative(process.cwd(), join(fixtures, 'valid/explicit-project.yaml'));
    const loaded = await loadPlaybook(given);
    expect(loaded.file).toBe(given);
    expect(loaded.path).toBe(join(fixtures, 'valid/explicit-project.yaml'));

    const [result] = await validatePlaybooks([relative(process.cwd(), join(fixtures, 'invalid/empty.yaml'))]);
    expect(result?.issues[0]?.file).toBe(relative(process.cwd(), join(fixtures, 'invalid/empty.yaml')));
  });

  it('reports no issues for every valid fixture', async () => {
    const results = await validatePlaybooks(['region-failover.yaml', 'explicit-project.yaml'].map((name) => join(fixtures, 'valid', name)));
    expect(results.map((result) => result.issues)).toEqual([[], []]);
  });
});

describe('file checks', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'firedrill-load-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function messagesFor(file: string): Promise<string[]> {
    const error = await loadPlaybook(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(PlaybookError);
    return (error as PlaybookError).issues.map((issue) => `${issue.line}:${issue.column}: ${issue.message}`);
  }

  it('refuses a missing file', async () => {
    expect(await messagesFor(join(scratch, 'nope.yaml'))).toEqual(['1:1: the playbook file does not exist']);
  });

  it('refuses a directory', async () => {
    const dir = join(scratch, 'a-directory.yaml');
    await mkdir(dir);
    expect(await messagesFor(dir)).toEqual(['1:1: the playbook file is not a regular file (it is a directory)']);
  });

  it('refuses a file larger than 1 MiB and accepts one of exactly 1 MiB', async () => {
    const padding = (size: number) => `${MINIMAL}#${'x'.repeat(size - MINIMAL.length - 2)}\n`;
    const exact = join(scratch, 'exact.yaml');
    const over = join(scratch, 'over.yaml');
    await writeFile(exact, padding(MAX_PLAYBOOK_BYTES));
    await writeFile(over, padding(MAX_PLAYBOOK_BYTES + 1));

    expect((await loadPlaybook(exact)).playbook.name).toBe('tiny');
    expect(await messagesFor(over)).toEqual(['1:1: the playbook file is too large: 1,048,577 bytes, more than the 1 MiB limit']);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const file = join(scratch, 'latin1.yaml');
    await writeFile(file, Buffer.concat([Buffer.from(MINIMAL), Buffer.from([0x23, 0xe9, 0x0a])]));
    expect(await messagesFor(file)).toEqual(['1:1: the playbook file is not UTF-8 text']);
  });

  it('hashes the exact bytes, a byte-order mark included', async () => {
    const file = join(scratch, 'bom.yaml');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MINIMAL)]);
    await writeFile(file, bytes);
    const loaded = await loadPlaybook(file);
    expect(loaded.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(loaded.source).toBe(MINIMAL);
  });

  it('reads many aliases of a scalar: they expand nothing, and each is looked up, not searched for', async () => {
    const file = join(scratch, 'many-aliases.yaml');
    const aliases = Array.from({ length: 5000 }, () => '*n').join(', ');
    await writeFile(file, `${MINIMAL}x-note: &n note\nnextSteps: [${aliases}]\n`);
    expect(await messagesFor(file)).toEqual(['9:1: unknown key "x-note"']);
  });
});
