import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeProjectName, readComposeFile, regionsFromLabels } from '../../../src/playbook/compose-file.js';
import { readComposeProject } from '../../../src/scaffold/compose-services.js';

/**
 * The built-in compose reader on real-world shapes (test/fixtures/compose-shapes): what init,
 * validate and plan see of each, through their own entry points. The environment is fixed,
 * so only the fixture's own `.env` and defaults speak.
 */

const SHAPES = fileURLToPath(new URL('../../fixtures/compose-shapes/', import.meta.url));
const HOME = '/home/tester';
const options = { reader: 'built-in', environment: { HOME } } as const;
const shape = (...path: string[]) => join(SHAPES, ...path);

async function project(...path: string[]) {
  return readComposeProject(shape(...path), options);
}

async function service(file: string[], name: string) {
  const found = (await project(...file)).services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

describe('built-in compose reader on real-world shapes', () => {
  it('.env: COMPOSE_PROJECT_NAME names the project; its values fill ${VAR}, bare environment keys and labels', async () => {
    const read = await project('dotenv-project', 'docker-compose.yml');
    expect(read.project).toBe('shop');
    expect(read.projectFrom).toEqual({ kind: 'env-file', file: shape('dotenv-project', '.env') });
    expect(read.services).toEqual([
      {
        name: 'orders-api',
        image: 'shop/orders:3.12-slim',
        buildContext: shape('dotenv-project', 'app'),
        command: 'python -m orders.api --port 8000',
        entrypoint: '',
        environment: { GREETING: 'hello from .env', LITERAL: 'cost: $5', QUEUE_URL: 'amqp://queue:5672/eu-central' },
        labels: { 'shop.region': 'eu-central' },
        ports: [{ hostPort: 18081, containerPort: 8000, protocol: 'tcp' }],
        mounts: [],
        profiles: [],
        dependsOn: [],
      },
      {
        name: 'orders-worker',
        image: 'shop/orders:3.12-slim',
        command: 'python -m orders.worker --queue orders high',
        entrypoint: '',
        environment: { REGION: 'eu-central', RETRIES: '3' },
        labels: { 'shop.region': 'eu-central' },
        ports: [],
        mounts: [],
        profiles: [],
        dependsOn: ['orders-api'],
      },
    ]);
  });

  it('.env: validate takes the project name and the regions the way compose resolves them', async () => {
    const file = shape('dotenv-project', 'docker-compose.yml');
    const read = await readComposeFile(file, options);
    if (!read.ok) throw new Error(read.problem);
    expect(composeProjectName(file, read.compose)).toBe('shop');
    expect(regionsFromLabels(read.compose.services, 'shop.region')).toEqual({ 'eu-central': ['orders-api', 'orders-worker'] });
  });

  it('the environment firedrill runs in wins over .env, as for compose', async () => {
    const read = await readComposeProject(shape('dotenv-project', 'docker-compose.yml'), {
      reader: 'built-in',
      environment: { HOME, COMPOSE_PROJECT_NAME: 'Shop_Staging', REGION: 'us-east' },
    });
    expect([read.project, read.projectFrom]).toEqual(['shop_staging', { kind: 'environment' }]);
    expect(read.services.map((s) => s.labels['shop.region'])).toEqual(['us-east', 'us-east']);
  });

  it('extends: in the same file, chained, and from another file whose relative paths stay relative to it', async () => {
    const read = await project('extends', 'compose.yaml');
    expect(read.project).toBe('extends');
    const byName = Object.fromEntries(read.services.map((s) => [s.name, s]));
    expect(byName['ledger-api']).toEqual({
      name: 'ledger-api',
      buildContext: shape('extends', 'ledger'),
      command: 'gunicorn ledger.wsgi --bind 0.0.0.0:8000',
      entrypoint: '',
      environment: { LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://ledger@ledger-db:5432/ledger' },
      labels: { 'vault.tier': 'app' },
      ports: [{ hostPort: 18090, containerPort: 8000, protocol: 'tcp' }],
      mounts: [],
      profiles: [],
      dependsOn: [],
    });
    // Chained: ledger-jobs extends ledger-api, which extends ledger-migrate; "ports: []" adds nothing.
    expect(byName['ledger-jobs']).toMatchObject({
      command: 'celery -A ledger worker',
      buildContext: shape('extends', 'ledger'),
      ports: [{ hostPort: 18090, containerPort: 8000 }],
    });
    expect(byName['ledger-db']).toEqual({
      name: 'ledger-db',
      image: 'postgres:16',
      command: '',
      entrypoint: '',
      environment: { POSTGRES_USER: 'ledger', POSTGRES_DB: 'ledger', POSTGRES_PASSWORD: 'not-a-secret' },
      labels: { 'vault.tier': 'storage', 'vault.role': 'primary' },
      healthcheck: 'pg_isready -U ledger',
      ports: [],
      mounts: [
        { kind: 'bind', source: shape('extends', 'backups'), target: '/backups', readOnly: true },
        { kind: 'bind', source: shape('extends', 'common', 'pgdata'), target: '/var/lib/postgresql/data', readOnly: false },
      ],
      profiles: [],
      dependsOn: [],
    });
  });

  it('include: a file of includes is a compose project; each part reads its own .env and keeps its own paths', async () => {
    const read = await project('include', 'compose.yaml');
    expect(read.services.map((s) => s.name)).toEqual(['invoice-store', 'invoices', 'search']);
    const invoices = read.services.find((s) => s.name === 'invoices');
    expect(invoices).toMatchObject({
      image: 'acme/invoices:2.4.1',
      labels: { 'acme.zone': 'north' },
      mounts: [{ kind: 'bind', source: shape('include', 'billing', 'templates'), target: '/srv/templates', readOnly: true }],
    });
    expect(read.services.find((s) => s.name === 'search')).toMatchObject({
      environment: { 'discovery.type': 'single-node' },
      ports: [{ hostPort: 19200, containerPort: 9200 }],
    });
  });

  it('anchors and merge keys at the scale of large self-hosted stacks are read, merges shallow as in YAML', async () => {
    const read = await project('anchors-at-scale', 'docker-compose.yml');
    expect(read.services.length).toBe(61);
    const consumer = read.services.find((s) => s.name === 'events-consumer');
    expect(consumer).toMatchObject({
      image: 'telemetry/platform:24.6.0',
      entrypoint: '/opt/platform/entrypoint.sh',
      command: 'run consumer events --consumer-group events-group --healthcheck-file-path /tmp/health.txt',
      // The service's own environment replaces the anchor's whole mapping: merge keys are shallow.
      environment: { PLATFORM_CONF: '/etc/platform', CONSUMER: 'events' },
      dependsOn: ['kv', 'mail', 'queue', 'rel-db'],
    });
    const web = read.services.find((s) => s.name === 'web');
    expect(web?.environment).toEqual({
      PLATFORM_CONF: '/etc/platform',
      CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt',
      REQUESTS_CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt',
      GRPC_ROOTS: '/etc/ssl/certs/ca-certificates.crt',
      // From .env; RETENTION_DAYS is set nowhere, so the container does not get it.
      MAIL_HOST: 'mail.example.test',
    });
    expect(web?.mounts).toEqual([
      { kind: 'volume', source: 'platform-data', target: '/data', readOnly: false },
      { kind: 'bind', source: shape('anchors-at-scale', 'platform'), target: '/etc/platform', readOnly: false },
      { kind: 'bind', source: shape('anchors-at-scale', 'certs'), target: '/usr/local/share/ca-certificates', readOnly: true },
    ]);
    expect(read.services.find((s) => s.name === 'kv')?.healthcheck).toBe('valkey-cli ping | grep PONG');
  });

  it('short volume syntax is split after interpolation: ${CONF_DIR:-./conf}:/etc/x:ro is a read-only bind mount', async () => {
    const read = await project('volume-interpolation', 'compose.yaml');
    const mounts = Object.fromEntries(read.services.map((s) => [s.name, s.mounts]));
    expect(mounts).toEqual({
      gateway: [
        { kind: 'bind', source: shape('volume-interpolation', 'conf'), target: '/etc/nginx/conf.d', readOnly: true },
        { kind: 'tmpfs', target: '/run', readOnly: false },
        { kind: 'volume', source: 'proxy-cache', target: '/var/cache/nginx', readOnly: false },
        { kind: 'bind', source: shape('volume-interpolation', 'logs'), target: '/var/log/nginx', readOnly: false },
      ],
      'catalog-db': [
        { kind: 'bind', source: '/etc/localtime', target: '/etc/localtime', readOnly: true },
        { kind: 'bind', source: shape('volume-interpolation', 'state', 'catalog'), target: '/var/lib/postgresql/data', readOnly: false },
      ],
      scratch: [{ kind: 'volume', target: '/scratch', readOnly: false }],
    });
    expect(read.services[0]?.ports).toEqual([{ hostPort: 18443, containerPort: 443, protocol: 'tcp' }]);
    // Mounts are listed by mount point, whatever order compose prints them in.
  });

  it('region labels with ${VAR:-default} in either form, set in .env or not; $$ is a literal $', async () => {
    const file = shape('region-labels', 'compose.yaml');
    const read = await readComposeFile(file, options);
    if (!read.ok) throw new Error(read.problem);
    expect(regionsFromLabels(read.compose.services, 'exchange.zone')).toEqual({ eu: ['matcher-a'], apac: ['matcher-b'] });
    expect(read.compose.services.map((s) => ({ ...s.labels }))).toEqual([
      { 'exchange.zone': 'eu', 'exchange.fee': '$0.01' },
      { 'exchange.zone': 'apac', 'exchange.audited': '' },
      { 'exchange.zone': '' },
    ]);
  });

  it('profiles, deploy.replicas / scale and network_mode are carried as compose resolves them', async () => {
    expect((await project('profiles', 'compose.yaml')).services.map((s) => [s.name, s.profiles])).toEqual([
      ['storefront', []],
      ['mailcatcher', ['debug']],
      ['load-generator', ['bench', 'debug']],
    ]);
    expect((await project('replicas-zero', 'compose.yaml')).services.map((s) => [s.name, s.replicas])).toEqual([
      ['api', 2],
      ['nightly-report', 0],
      ['legacy-sync', 0],
    ]);
    const network = await project('network-mode', 'compose.yaml');
    expect(network.services.map((s) => [s.name, s.networkMode, s.dependsOn])).toEqual([
      ['vpn', undefined, []],
      ['downloader', 'service:vpn', ['vpn']],
      ['indexer', 'service:vpn', []],
      ['metrics', 'host', []],
    ]);
    expect(await service(['network-mode', 'compose.yaml'], 'vpn')).not.toHaveProperty('networkMode');
  });

  it('a required variable that is not set refuses the file with its message, as compose does', async () => {
    const file = shape('required-variable', 'compose.yaml');
    expect(await readComposeFile(file, options)).toEqual({
      ok: false,
      problem:
        'cannot be used: services.vault-db.environment.POSTGRES_PASSWORD: required variable VAULT_DB_PASSWORD is missing a value: set VAULT_DB_PASSWORD in .env',
      hint: 'set the variable, in the environment or in .env',
    });
    const set = await readComposeProject(file, { reader: 'built-in', environment: { VAULT_DB_PASSWORD: 's3cret' } });
    expect(set.services[0]?.environment).toEqual({ POSTGRES_PASSWORD: 's3cret' });
  });
});
