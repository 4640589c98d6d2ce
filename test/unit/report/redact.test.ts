import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { defaultReportSettings, type ReportSettings } from '../../../src/playbook/report-settings.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { reportDocument } from '../../../src/report/report-document.js';
import { redactForCustomer } from '../../../src/report/redact.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

/** The scenario's journal with details a customer must not see, and the playbook's report block. */
function withInternals(entries: JournalEntry[], report?: Partial<ReportSettings['customer']>): JournalEntry[] {
  return entries.map((entry) => {
    if (entry.type === 'drill.started') {
      const playbook = {
        ...entry.data.playbook,
        ...(report ? { report: { customer: { ...defaultReportSettings().customer, ...report } } } : {}),
      };
      return { ...entry, data: { ...entry.data, playbook, endpoint: 'tcp://staging-docker.corp.example:2376' } } as JournalEntry;
    }
    if (entry.type === 'action.finished') {
      const summary = 'exit 0 on 172.18.0.4:6379 (DB_PASSWORD=hunter2)';
      return { ...entry, data: { ...entry.data, summary, output: 'REDIS_URL=redis://10.0.0.7:6379\nOK' } } as JournalEntry;
    }
    return entry;
  });
}

describe('the customer report', () => {
  it('redacts container ids, addresses, hostnames and environment values, and the engine', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const model = buildDrillModel(withInternals(entries));
    const ids = model.topology!.containers.map((c) => c.id.slice(0, 12));
    expect(ids.length).toBeGreaterThan(0);
    const engineering = renderMarkdown(reportDocument(model, 'engineering'));
    expect(engineering).toContain('demo-app-a-1');
    for (const id of ids) expect(engineering).toContain(id);
    expect(engineering).toContain('127.0.0.1');
    expect(engineering).toContain('hunter2');
    expect(engineering).toContain('staging-docker.corp.example');

    for (const text of [renderMarkdown(reportDocument(model, 'customer')), renderHtml(reportDocument(model, 'customer'))]) {
      expect(text).not.toContain('demo-app-a-1');
      expect(text).not.toContain('demo-redis-a-1');
      for (const id of ids) expect(text).not.toContain(id);
      expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('REDIS_URL');
      expect(text).not.toContain('staging-docker');
      expect(text).not.toContain('unix://');
    }
    const customer = renderMarkdown(reportDocument(model, 'customer'));
    expect(customer).toContain('(DB\\_PASSWORD=\\[redacted\\])'); // the value goes, the sentence stays
    expect(customer).toContain('from `region-a-loss.yaml`'); // not where it sits on the machine that ran it
    expect(engineering).toContain('from `drills/region-a-loss.yaml`');
    expect(customer).toContain('on app-a (app-a), redis-a (redis-a)'); // container names become their services
  });

  it('does not change the model it was given', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const before = JSON.stringify(model);
    redactForCustomer(model);
    expect(JSON.stringify(model)).toBe(before);
  });

  it('follows the playbook: terms, extra patterns, hidden sections, and redactions turned off', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const model = buildDrillModel(
      withInternals(entries, {
        redact: ['container-ids'],
        terms: { 'app-a': 'the checkout service (region A)' },
        hidePatterns: ['session:\\d+'],
        hide: ['steps', 'timeline'],
      }),
    );
    const customer = renderMarkdown(reportDocument(model, 'customer'));
    expect(customer).toContain('the checkout service (region A)');
    expect(customer).not.toMatch(/session:42/);
    expect(customer).not.toContain('## Steps');
    expect(customer).not.toContain('## Timeline');
    expect(customer).toContain('## Objectives');
    expect(customer).toContain('127.0.0.1'); // addresses were not asked to be redacted
    for (const id of model.topology!.containers.map((c) => c.id.slice(0, 12))) expect(customer).not.toContain(id);
    // The engineering report is not the customers': it shows what the playbook hides from them.
    const engineering = renderMarkdown(reportDocument(model, 'engineering'));
    expect(engineering).toContain('## Steps');
    expect(engineering).toContain('session:42');
  });

  it('redacts what hides in machine text, and keeps prose readable', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const noisy = [
      'postgres://shop:s3cret@db.internal:5432/orders',
      'TCP connect to db-primary.corp.internal:5432: host not found: db-primary.corp.internal',
      'no route to fd12:3456:789a::42 nor http://[fd12:3456:789a::42]:8080/health',
      "ENOENT: open '/home/ci/firedrill-runs/20261121T000000Z-x/status.jsonl'",
      'db_password=hunter2 api-key=k-123 status=ok --retries=3 firedrill.region=a at 09:30:00.250',
    ].join(' | ');
    const model = buildDrillModel(
      entries.map((e) => (e.type === 'action.finished' ? ({ ...e, data: { ...e.data, summary: noisy } } as JournalEntry) : e)),
    );
    const summary = redactForCustomer(model).restore[0]!.run!.summary;
    for (const secret of [
      's3cret',
      'shop:',
      'db.internal',
      'db-primary',
      'corp.internal',
      'fd12',
      '/home/ci',
      'firedrill-runs',
      'hunter2',
      'k-123',
    ]) {
      expect(summary, secret).not.toContain(secret);
    }
    expect(summary).toContain('postgres://[internal host]:5432/orders');
    expect(summary).toContain('http://[internal address]/health');
    expect(summary).toContain("open '[path]'");
    expect(summary).toContain('status=ok --retries=3 firedrill.region=a at 09:30:00.250');
    expect(summary).toContain('db_password=[redacted] api-key=[redacted]');
  });
});
