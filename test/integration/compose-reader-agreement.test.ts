import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectCompose } from '../../src/topology/compose-cli.js';
import { speaksJson } from '../../src/topology/compose-config-cli.js';
import { readComposeModel, type ComposeModelResult } from '../../src/topology/compose-reader.js';

/**
 * The compose CLI installed here and the built-in reader (used where there is none) give the
 * same model of every real-world shape in test/fixtures/compose-shapes: same services, names,
 * images, commands, environments, labels, ports, mounts, profiles, replicas, network modes,
 * dependencies and project name. Where compose itself refuses a file (compose v1 knows no
 * `include:`; a required variable is unset), the CLI's answer is a problem in compose's words.
 */

const SHAPES = fileURLToPath(new URL('../fixtures/compose-shapes/', import.meta.url));
const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };

async function both(...path: string[]): Promise<{ cli: ComposeModelResult; builtIn: ComposeModelResult }> {
  const file = join(SHAPES, ...path);
  const compose = await detectCompose();
  const cli = await readComposeModel(file, { compose, environment });
  const builtIn = await readComposeModel(file, { reader: 'built-in', environment });
  return { cli, builtIn };
}

function withoutReader(result: ComposeModelResult): unknown {
  if (!result.ok) return result;
  const { reader: _reader, ...model } = result.model;
  return model;
}

describe('the compose CLI and the built-in reader agree', () => {
  const shapes = [
    ['dotenv-project', 'docker-compose.yml'],
    ['extends', 'compose.yaml'],
    ['anchors-at-scale', 'docker-compose.yml'],
    ['volume-interpolation', 'compose.yaml'],
    ['region-labels', 'compose.yaml'],
    ['profiles', 'compose.yaml'],
    ['replicas-zero', 'compose.yaml'],
    ['network-mode', 'compose.yaml'],
  ];

  it.each(shapes)('on %s', async (...path) => {
    const { cli, builtIn } = await both(...path);
    if (!cli.ok) throw new Error(`compose refused ${path.join('/')}: ${cli.problem}`);
    expect(cli.model.reader.kind).toBe('cli');
    expect(builtIn.ok && builtIn.model.reader.kind).toBe('built-in');
    expect(withoutReader(cli)).toEqual(withoutReader(builtIn));
    expect(cli.model.services.length).toBeGreaterThan(0);
  });

  it("on a file of includes: the same model where compose knows include:, compose v1's refusal where not", async () => {
    const { cli, builtIn } = await both('include', 'compose.yaml');
    expect(builtIn.ok && builtIn.model.services.map((s) => s.name)).toEqual(['invoice-store', 'invoices', 'search']);
    if (speaksJson(await detectCompose())) expect(withoutReader(cli)).toEqual(withoutReader(builtIn));
    else expect(cli).toMatchObject({ ok: false, problem: expect.stringMatching(/^is rejected by `docker-compose config`: .*'include'/) });
  });

  it('on a required variable left unset: both refuse, the CLI in its own words', async () => {
    const { cli, builtIn } = await both('required-variable', 'compose.yaml');
    expect(cli).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^is rejected by `.*config`: .*set VAULT_DB_PASSWORD in \.env$/),
    });
    expect(builtIn).toMatchObject({
      ok: false,
      problem: expect.stringContaining('required variable VAULT_DB_PASSWORD is missing a value: set VAULT_DB_PASSWORD in .env'),
    });
  });

  it('the project name from .env, and the environment over .env', async () => {
    const { cli } = await both('dotenv-project', 'docker-compose.yml');
    expect(cli.ok && [cli.model.project, cli.model.projectFrom]).toEqual([
      'shop',
      { kind: 'env-file', file: join(SHAPES, 'dotenv-project', '.env') },
    ]);
    const file = join(SHAPES, 'dotenv-project', 'docker-compose.yml');
    const overridden = { ...environment, COMPOSE_PROJECT_NAME: 'shop-staging', REGION: 'us-east' };
    const [viaCli, viaBuiltIn] = await Promise.all([
      readComposeModel(file, { compose: await detectCompose(), environment: overridden }),
      readComposeModel(file, { reader: 'built-in', environment: overridden }),
    ]);
    expect(withoutReader(viaCli)).toEqual(withoutReader(viaBuiltIn));
    expect(viaCli.ok && [viaCli.model.project, viaCli.model.services[0]?.labels]).toEqual(['shop-staging', { 'shop.region': 'us-east' }]);
  });
});
