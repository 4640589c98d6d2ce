import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeProjectName, readComposeFile, regionsFromLabels } from '../../../src/playbook/compose-file.js';

const fixture = fileURLToPath(new URL('../../fixtures/playbooks/compose/Shop.Demo/docker-compose.yml', import.meta.url));

describe('readComposeFile', () => {
  it('reads services and labels in map, list and merged forms', async () => {
    const result = await readComposeFile(fixture);
    if (!result.ok) throw new Error(result.problem);
    const { compose } = result;
    expect(compose.path).toBe(fixture);
    expect(compose.services.map((s) => s.name)).toEqual(['web-eu', 'cache-eu', 'web-us', 'db']);
    expect(regionsFromLabels(compose.services, 'firedrill.region')).toEqual({ eu: ['web-eu', 'cache-eu'], us: ['web-us'] });
    expect({ ...compose.services[1]?.labels }).toEqual({ 'firedrill.region': 'eu', 'com.example.tier': 'cache' });
  });

  describe('problems', () => {
    let scratch: string;
    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'firedrill-compose-'));
    });
    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    it('says so when the file is missing, broken or not a compose file', async () => {
      expect(await readComposeFile(join(scratch, 'none.yml'))).toEqual({ ok: false, problem: 'does not exist', hint: 'check the path' });

      await writeFile(join(scratch, 'broken.yml'), 'services:\n  a: 1\n  a: 2\n');
      expect(await readComposeFile(join(scratch, 'broken.yml'))).toMatchObject({
        ok: false,
        problem: 'cannot be used: line 3, column 3: duplicate key "a"',
      });

      await writeFile(join(scratch, 'list.yml'), '- not\n- compose\n');
      expect(await readComposeFile(join(scratch, 'list.yml'))).toMatchObject({ ok: false, problem: 'has no "services" mapping' });
    });
  });
});

describe('regionsFromLabels', () => {
  it('does not take inherited properties for labels', () => {
    expect(regionsFromLabels([{ name: 'a', labels: {} }], 'toString')).toEqual({});
  });
});

describe('composeProjectName', () => {
  it('derives the name from the directory the way compose does', () => {
    expect(composeProjectName('/srv/Shop.Demo/docker-compose.yml')).toBe('shopdemo');
    expect(composeProjectName('/srv/_My App 2/compose.yaml')).toBe('myapp2');
    expect(composeProjectName('/srv/shop_staging-1/compose.yaml')).toBe('shop_staging-1');
  });

  it("prefers the compose file's own name, and gives up when nothing usable is left", () => {
    expect(composeProjectName('/srv/dir/compose.yaml', { path: '/srv/dir/compose.yaml', name: 'Shop', services: [] })).toBe('shop');
    expect(composeProjectName('/srv/...!/compose.yaml')).toBeUndefined();
  });
});
