import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeMessage } from '../../../src/topology/compose-config-cli.js';
import { readComposeModel } from '../../../src/topology/compose-reader.js';

/**
 * The compose v2 path, against a stand-in that answers with a recorded `docker compose config
 * --format json` (test/fixtures/compose-shapes/v2-recorded): compose v2 is not installed on
 * every machine the tests run on, and its canonical JSON differs from what the file says
 * (long syntax, word lists, "$" doubled, the project name resolved).
 */

const DIR = fileURLToPath(new URL('../../fixtures/compose-shapes/v2-recorded/', import.meta.url));
const FILE = `${DIR}compose.yaml`;
const compose = { argv: [process.execPath, `${DIR}fake-compose-v2.mjs`], version: '2.29.7', flavour: 'v2' as const };
const environment = { PATH: process.env.PATH ?? '', HOME: '/home/dev' };

describe('reading through compose v2 (recorded answer)', () => {
  it('turns the canonical JSON into the model, "$$" back to "$", in the order the file writes the services', async () => {
    const read = await readComposeModel(FILE, { compose, environment });
    if (!read.ok) throw new Error(read.problem);
    const { model } = read;
    expect(model.reader).toEqual({ kind: 'cli', command: `${process.execPath} ${DIR}fake-compose-v2.mjs`, version: '2.29.7' });
    expect([model.project, model.projectFrom, model.name]).toEqual(['shop', { kind: 'name-key' }, 'shop']);
    expect(model.unsetVariables).toEqual(['BUILD_ID']);
    expect(model.services).toEqual([
      {
        name: 'web',
        buildContext: '/home/dev/shop/web',
        command: 'gunicorn shop.wsgi --bind 0.0.0.0:8000',
        entrypoint: '',
        environment: { PRICE_FORMAT: '$%.2f' },
        labels: { 'shop.build': '', 'shop.zone': 'eu' },
        ports: [{ hostPort: 18000, containerPort: 8000, protocol: 'tcp' }],
        healthcheck: 'curl -fsS http://localhost:8000/healthz || exit 1',
        mounts: [
          { kind: 'bind', source: '/home/dev/shop/conf', target: '/etc/shop', readOnly: true },
          { kind: 'volume', source: 'media', target: '/srv/media', readOnly: false },
        ],
        profiles: [],
        dependsOn: ['db'],
      },
      {
        name: 'db',
        image: 'postgres:16',
        command: '',
        entrypoint: '',
        environment: {},
        labels: {},
        ports: [],
        mounts: [{ kind: 'volume', source: 'db-data', target: '/var/lib/postgresql/data', readOnly: false }],
        profiles: [],
        dependsOn: [],
      },
      {
        name: 'vpn-client',
        image: 'alpine:3.20',
        command: '',
        entrypoint: '',
        environment: {},
        labels: {},
        ports: [],
        mounts: [],
        profiles: ['debug'],
        networkMode: 'service:web',
        replicas: 0,
        dependsOn: [],
      },
    ]);
  });

  it('a project name compose took from elsewhere is its answer, and says so', async () => {
    const read = await readComposeModel(FILE, { compose, environment: { ...environment, COMPOSE_PROJECT_NAME: 'Shop-CI' } });
    if (!read.ok) throw new Error(read.problem);
    // The recorded answer says "shop"; our own rules say "shop-ci": compose's answer counts.
    expect([read.model.project, read.model.projectFrom]).toEqual(['shop', { kind: 'compose-cli' }]);
  });

  it("a file compose rejects is a problem carrying compose's own words on one line, warnings left out", async () => {
    const read = await readComposeModel(FILE, {
      compose,
      environment: {
        ...environment,
        FAKE_COMPOSE_FAIL: 'validating /home/dev/shop/compose.yaml: services.web.ports.0\n  invalid port "18000:8000:tcp"\u001b[0m',
      },
    });
    expect(read).toEqual({
      ok: false,
      problem: `is rejected by \`${compose.argv.join(' ')} config\`: validating /home/dev/shop/compose.yaml: services.web.ports.0 invalid port "18000:8000:tcp"\\u001b[0m`,
      hint: `run \`${compose.argv.join(' ')} config\` in ${DIR.replace(/\/$/, '')} to see it whole`,
    });
  });
});

describe('composeMessage', () => {
  it('keeps compose v1 and v2 complaints, drops their warnings, cuts long ones', () => {
    expect(
      composeMessage(
        'The ZONE variable is not set. Defaulting to a blank string.\nMissing mandatory value for "image" option in service "a": set IMG\n',
      ),
    ).toBe('Missing mandatory value for "image" option in service "a": set IMG');
    expect(
      composeMessage(
        'WARN[0000] /x/compose.yaml: `version` is obsolete\nerror while interpolating services.a.image: required variable IMG is missing a value: set IMG\n',
      ),
    ).toBe('error while interpolating services.a.image: required variable IMG is missing a value: set IMG');
    expect(composeMessage('')).toBe('(compose printed no reason)');
    expect(composeMessage(`x${'y'.repeat(5000)}`)).toHaveLength(601);
  });
});

describe('a compose file without services', () => {
  it('is answered without asking compose: there is nothing to resolve', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-empty-compose-'));
    try {
      await writeFile(join(dir, 'compose.yaml'), 'services: {}\n');
      const read = await readComposeModel(join(dir, 'compose.yaml'), {
        compose: { argv: ['/nonexistent/compose-must-not-run'], version: '1.29.2', flavour: 'v1' },
        environment: {},
      });
      expect(read.ok && [read.model.services, read.model.reader]).toEqual([[], { kind: 'built-in' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
