import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { renderPlanText } from '../../../src/cli/ui/plan-text.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { checkCommandResult, checkBodyMatches } from '../../../src/probes/expectations.js';
import { shownPattern } from '../../../src/probes/expectation-words.js';
import { describeProbe } from '../../../src/probes/registry.js';
import { probeSpecSchema } from '../../../src/probes/spec-schema.js';
import { describePlan } from '../../../src/plan/plan-document.js';
import { planDrill } from '../../../src/plan/plan.js';
import { describeStep } from '../../../src/plan/step-outline.js';
import { FakeEngine } from '../../support/fake-engine.js';

/**
 * What a probe waits for is the line a reviewer approves in the plan, the line the terminal
 * prints when a wait step starts, and the line the journal and the reports keep: every
 * expectation of every probe kind must be in it, and nothing from the playbook may break it.
 */

const probe = (input: Record<string, unknown>) => describeProbe(probeSpecSchema.parse(input));

/** Characters that must never reach a reader raw: controls, line and paragraph separators, direction overrides. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('a probe described in one line', () => {
  it('exec: the exit code and both output rules', () => {
    expect(probe({ kind: 'exec', service: 'ledger-primary', command: 'redis-cli info replication' })).toBe(
      '`redis-cli info replication` in ledger-primary → exit 0',
    );
    expect(
      probe({
        kind: 'exec',
        service: 'ledger-primary',
        command: ['redis-cli', 'info', 'replication'],
        expect: { exitCode: 3, outputContains: 'connected_slaves:1', outputMatches: '^role:master\\r?$' },
      }),
    ).toBe(
      '`redis-cli info replication` in ledger-primary → exit 3, output contains "connected_slaves:1", output matches /^role:master\\r?$/',
    );
    expect(probe({ kind: 'exec', service: 'ledger-primary', command: 'true', expect: { outputMatches: 'master' } })).toBe(
      '`true` in ledger-primary → exit 0, output matches /master/',
    );
  });

  it('host: the exit code and both output rules', () => {
    expect(probe({ kind: 'host', command: ['pg_isready', '-h', '127.0.0.1'], expect: { outputContains: 'accepting' } })).toBe(
      '`pg_isready -h 127.0.0.1` on the host → exit 0, output contains "accepting"',
    );
    expect(probe({ kind: 'host', command: 'dig +short @127.0.0.1 shop.test', expect: { exitCode: 0, outputMatches: '^10\\.0\\.' } })).toBe(
      '`dig +short @127.0.0.1 shop.test` on the host → exit 0, output matches /^10\\.0\\./',
    );
  });

  it('http: status, body text, body pattern, JSON field (present or equal) and latency', () => {
    expect(probe({ kind: 'http', url: 'http://127.0.0.1:8088/healthz' })).toBe('GET http://127.0.0.1:8088/healthz → 2xx/3xx');
    expect(
      probe({
        kind: 'http',
        method: 'POST',
        url: 'http://127.0.0.1:8088/api/quote',
        body: '{}',
        expect: {
          status: [200, 202],
          bodyContains: 'quote',
          bodyMatches: '"currency":\\s*"EUR"',
          json: { path: 'items[0].region', equals: 'eu-west' },
          maxLatency: '750ms',
        },
      }),
    ).toBe(
      'POST http://127.0.0.1:8088/api/quote → 200 or 202, body contains "quote", body matches /"currency":\\s*"EUR"/, JSON items[0].region = "eu-west", within 750ms',
    );
    expect(probe({ kind: 'http', url: 'http://127.0.0.1:8088/', expect: { status: 404, json: { path: 'error' } } })).toBe(
      'GET http://127.0.0.1:8088/ → 404, JSON error present',
    );
    expect(probe({ kind: 'http', url: 'http://127.0.0.1:8088/', expect: { json: { path: 'ready', equals: false } } })).toBe(
      'GET http://127.0.0.1:8088/ → 2xx/3xx, JSON ready = false',
    );
  });

  it('tcp and health: the connection, and the state every container must be in', () => {
    expect(probe({ kind: 'tcp', host: 'memcached-2', port: 11211 })).toBe('TCP connect to memcached-2:11211');
    expect(probe({ kind: 'health', service: 'gateway' })).toBe('every container of gateway is healthy');
    expect(probe({ kind: 'health', service: 'gateway', expect: { status: 'running' } })).toBe('every container of gateway is running');
  });

  it('keeps a name the playbook gives and still says what the probe checks', () => {
    expect(
      probe({
        kind: 'exec',
        name: 'replica caught up',
        service: 'cache-replica',
        command: 'redis-cli info',
        expect: { outputMatches: 'master_link_status:up' },
      }),
    ).toBe('replica caught up: `redis-cli info` in cache-replica → exit 0, output matches /master_link_status:up/');
  });

  it('shows text from the playbook escaped: no newline, escape sequence or direction override reaches the reader', () => {
    const line = probe({
      kind: 'exec',
      name: 'two\nlines',
      service: 'worker',
      command: "printf 'a\\n'\necho \u001b[2Jdone",
      expect: { outputContains: 'ok\u0085\u2028', outputMatches: '^ready\n\u001b\\[0m\u009b\u202e$' },
    });
    expect(line).not.toMatch(INVISIBLE);
    expect(line).toBe(
      'two\\nlines: `printf \'a\\n\'\\necho \\x1b[2Jdone` in worker → exit 0, output contains "ok\\x85\\u2028", output matches /^ready\\n\\x1b\\[0m\\x9b\\u202e$/',
    );
    const http = probe({
      kind: 'http',
      url: 'http://127.0.0.1:8088/\u001b]8;;x\u0007',
      expect: { bodyMatches: 'a\tb', json: { path: 'a\nb', equals: 'x\u001by' } },
    });
    expect(http).not.toMatch(INVISIBLE);
    expect(http).toContain('body matches /a\\tb/, JSON a\\nb = "x\\u001by"');
  });

  it("shows an escaped pattern that means what the playbook's pattern means", () => {
    const original = '^(ready|up)\n\u001b\\[0m\u0085.+\u2028\t$';
    const shown = shownPattern(original);
    const escaped = new RegExp(shown.slice(1, -1));
    for (const text of [
      'ready\n\u001b[0m\u0085x\u2028\t',
      'up\n\u001b[0m\u0085yy\u2028\t',
      'ready \u001b[0m\u0085x\u2028\t',
      'down\n\u001b[0m\u0085x\u2028\t',
    ]) {
      expect(escaped.test(text), JSON.stringify(text)).toBe(new RegExp(original).test(text));
    }
  });

  it('cuts a very long pattern and says how much is left out', () => {
    const shown = shownPattern(`^${'a'.repeat(999)}$`);
    expect(shown).toMatch(/^\/\^a+…\/ \(761 more characters\)$/);
  });

  it('names an unmet pattern escaped in the reason a failed check gives', () => {
    const reason = checkCommandResult({ exitCode: 0, stdout: 'LOADING', stderr: '' }, { exitCode: 0, outputMatches: '^PONG\r?\n$' }).reason;
    expect(reason).toBe('output does not match /^PONG\\r?\\n$/');
    expect(checkBodyMatches('x', 'a\u001bb').reason).toBe('body does not match /a\\x1bb/');
  });
});

describe('the plan a reviewer approves', () => {
  async function planFor() {
    const engine = new FakeEngine(
      [
        { service: 'ledger-primary', labels: { 'exchange.zone': 'eu' } },
        { service: 'ledger-replica', labels: { 'exchange.zone': 'us' } },
        { service: 'gateway' },
      ],
      { project: 'exchange' },
    );
    const playbook = playbookSchema.parse({
      name: 'ledger-failover',
      title: 'The ledger fails over',
      summary: 'The primary stops; the replica takes over.',
      topology: { project: 'exchange' },
      steadyState: {
        probes: [
          { kind: 'http', name: 'gateway quotes', url: 'http://127.0.0.1:8088/quote', expect: { json: { path: 'ok', equals: true } } },
        ],
        within: '30s',
      },
      stopConditions: [
        {
          name: 'orders accepted',
          probe: { kind: 'host', command: 'curl -fsS http://127.0.0.1:8088/orders', expect: { outputContains: '"accepted"' } },
          every: '1s',
          tolerate: '5s',
        },
      ],
      steps: [
        { name: 'stop the primary\u001b[2J', inject: { kind: 'service', id: 'primary-down', service: 'ledger-primary', mode: 'stop' } },
        { name: 'ask', manual: { prompt: 'Is the gateway\nquoting again?', timeout: '1m' } },
        {
          name: 'the replica is promoted',
          wait: {
            probe: {
              kind: 'exec',
              service: 'ledger-replica',
              command: 'redis-cli info replication',
              expect: { outputMatches: '^role:master\r?$' },
            },
            every: '500ms',
            timeout: '30s',
          },
        },
      ],
    });
    const plan = await planDrill({ playbook, file: 'drills/ledger.yaml', sha256: 'e'.repeat(64), project: 'exchange' }, engine);
    return { playbook, doc: describePlan(plan) };
  }

  const WAIT =
    'wait until `redis-cli info replication` in ledger-replica → exit 0, output matches /^role:master\\r?$/ (every 500ms, up to 30s)';

  it('says what every check waits for, in the text and in --json', async () => {
    const { doc } = await planFor();
    const text = renderPlanText(doc, paintFor(false));
    expect(text).toContain(`3. the replica is promoted — wait: ${WAIT}`);
    expect(text).toContain('1. stop the primary\\x1b[2J — inject:');
    expect(text).toContain('2. ask — manual: ask the operator: Is the gateway\\nquoting again?');
    expect(text).toContain('  - gateway quotes: GET http://127.0.0.1:8088/quote → 2xx/3xx, JSON ok = true');
    expect(text).toContain(
      '- "orders accepted": `curl -fsS http://127.0.0.1:8088/orders` on the host → exit 0, output contains "\\"accepted\\"", every 1s',
    );
    expect(text).not.toMatch(/[\r\u0000-\u0009\u000b-\u001f]/);
    const json = JSON.parse(JSON.stringify(doc)) as typeof doc;
    expect(json.steps[2]?.describe).toBe(WAIT);
    expect(json.steadyState?.probes).toEqual(['gateway quotes: GET http://127.0.0.1:8088/quote → 2xx/3xx, JSON ok = true']);
    expect(json.stopConditions[0]?.probe).toBe(
      '`curl -fsS http://127.0.0.1:8088/orders` on the host → exit 0, output contains "\\"accepted\\""',
    );
  });

  it('is the same line the run journals when the step starts (what the terminal log and the reports show)', async () => {
    const { playbook, doc } = await planFor();
    expect(describeStep(playbook.steps[2]!)).toBe(doc.steps[2]?.describe);
  });
});
