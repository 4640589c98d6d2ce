import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/reader.js';
import type { StatusUpdate } from '../../src/notify/status-update.js';
import { formatMeasured } from '../../src/words/time-format.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { firedrill } from './cli-process.js';

/**
 * Customer status updates in a real drill, through the built CLI: region a's web server is
 * paused, a status update is posted to a status page the test runs on 127.0.0.1 and another
 * is appended to a file in the run directory; the report states the time to first contact.
 */
describe('firedrill run with notify steps', () => {
  let fixture: FixtureProject;
  let dir: string;
  let server: Server;
  let pageUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body, url: req.url ?? '' });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status?key=k-123`;
    dir = mkdtempSync(join(tmpdir(), 'firedrill-notify-'));
    fixture = await startFixtureProject('two-region');
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('posts the update to the status page, appends it to the run directory, and reports the time to first contact', async () => {
    const file = join(dir, 'tell-customers.yaml');
    writeFileSync(
      file,
      `${[
        'name: tell-customers',
        'title: Telling customers about region a',
        'summary: Region a freezes; we tell customers, as we would on our status page.',
        'topology:',
        `  composeFile: ${fixture.file}`,
        `  project: ${fixture.project}`,
        'objectives:',
        '  firstContact: 1m',
        'steps:',
        '  - name: freeze region a web',
        '    inject: { kind: service, id: freeze-a, service: web-a, mode: pause }',
        '  - name: look at the dashboards',
        '    pause: 1s',
        '  - name: tell customers',
        '    notify:',
        '      status: investigating',
        '      message: "Checkout is failing for some customers; we are moving traffic to region b."',
        `      webhook: "${pageUrl}"`,
        '      headers: { Authorization: "Bearer page-s3cret" }',
        '      required: true',
        '  - name: keep a copy',
        '    notify: { status: identified, message: "Region a is frozen; region b serves everyone.", file: status-updates.jsonl }',
      ].join('\n')}\n`,
    );

    const result = await firedrill(['run', file, '--runs-dir', join(dir, 'runs')]);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect((await fixture.container('web-a')).status).toBe('running');
    const runDir = resolve(/run directory: (\S+)/.exec(String(result.stdout))?.[1] ?? '');
    const journal = await readJournal(join(runDir, 'journal.jsonl'));
    const runId = journal.find((e) => e.type === 'drill.started')?.data.runId;

    // The status page got exactly the documented body, with the step's header.
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/status?key=k-123');
    expect(received[0]!.headers.authorization).toBe('Bearer page-s3cret');
    const posted = JSON.parse(received[0]!.body) as StatusUpdate;
    expect(posted).toEqual({
      drill: 'tell-customers',
      runId,
      status: 'investigating',
      message: 'Checkout is failing for some customers; we are moving traffic to region b.',
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    const copy = readFileSync(join(runDir, 'status-updates.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StatusUpdate);
    expect(copy).toEqual([
      expect.objectContaining({ runId, status: 'identified', message: 'Region a is frozen; region b serves everyone.' }),
    ]);

    // Journaled without the URL's path or query (webhooks keep tokens there) or the header; the
    // webhook shows as its host and a fingerprint (39b1ed: SHA-256 of "/status?key=k-123"), the
    // file as the playbook named it.
    const sent = journal.filter((e) => e.type === 'notify.sent');
    const origin = new URL(pageUrl).origin;
    expect(sent.map((e) => e.data)).toEqual([
      expect.objectContaining({ channel: 'webhook', target: `${origin}/…#39b1ed`, ok: true, httpStatus: 204, attempts: 1 }),
      expect.objectContaining({ channel: 'file', target: 'status-updates.jsonl', ok: true }),
    ]);
    const raw = readFileSync(join(runDir, 'journal.jsonl'), 'utf8');
    expect(journal.find((e) => e.type === 'step.started' && e.data.index === 2)?.data).toMatchObject({
      describe: `post status update "investigating" to ${origin}/…#39b1ed`,
    });
    for (const secret of ['page-s3cret', 'k-123', `${origin}/status`]) expect(raw).not.toContain(secret);

    // From the fault applied to the first update delivered, as the journal's own times say.
    const applied = journal.find((e) => e.type === 'fault.applied')!;
    const firstContactMs = (sent[0]!.monoNs - applied.monoNs) / 1e6;
    expect(firstContactMs).toBeGreaterThan(1000);
    expect(journal.find((e) => e.type === 'objective.evaluated')?.data).toMatchObject({ name: 'time to first contact', met: true });
    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(report).toContain(`| Time to first contact | 1m | ${formatMeasured(firstContactMs)} |`);
    expect(report).not.toContain(`${origin}/status`);
    expect(String(result.stdout)).toContain(
      `the customer update "Investigating: Checkout is failing for some customers; we are moving traffic to region b." was posted to ${origin}/…#39b1ed (HTTP 204`,
    );
    expect(String(result.stdout)).not.toContain(`${origin}/status`);
  });
});
