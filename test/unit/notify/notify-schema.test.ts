import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/errors.js';
import { validatePlaybooks } from '../../../src/playbook/load.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { outlineSteps } from '../../../src/plan/step-outline.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

const HEAD = [
  'name: tell',
  'title: Telling customers',
  'summary: A drill that posts status updates.',
  'topology:',
  '  project: shop',
  'steps:',
];

async function issuesOf(lines: string[]): Promise<string[]> {
  const file = join(tempDir(), 'tell.yaml');
  writeFileSync(file, `${[...HEAD, ...lines].join('\n')}\n`);
  const [result] = await validatePlaybooks([file]);
  return result!.issues.map((issue) => formatIssue(issue).slice(file.length + 1));
}

const parse = (notify: Record<string, unknown>, objectives: Record<string, unknown> = {}) =>
  playbookSchema.parse({
    name: 'tell',
    title: 't',
    summary: 's',
    topology: { project: 'shop' },
    objectives,
    steps: [{ name: 'Tell customers', notify }],
  });

describe('notify steps in a playbook', () => {
  it('parses a webhook update with headers and a timeout, and a file update, with required defaulted', () => {
    const webhook = parse({
      status: 'investigating',
      message: 'Errors on checkout.',
      webhook: 'https://status.example.test/hook?token=x',
      headers: { Authorization: 'Bearer s3cret' },
      timeout: '2s',
    });
    expect(webhook.steps[0]!.notify).toEqual({
      status: 'investigating',
      message: 'Errors on checkout.',
      webhook: 'https://status.example.test/hook?token=x',
      headers: { Authorization: 'Bearer s3cret' },
      timeout: 2000,
      required: false,
    });
    const file = parse({ status: 'resolved', message: 'All good.', file: 'status-updates.jsonl', required: true }, { firstContact: '5m' });
    expect(file.steps[0]!.notify).toEqual({ status: 'resolved', message: 'All good.', file: 'status-updates.jsonl', required: true });
    expect(file.objectives).toEqual({ firstContact: 300_000 });
  });

  it('describes the step without the path, query, fragment or headers: a fingerprint stands for the path and query', () => {
    const playbook = parse({
      status: 'identified',
      message: 'm',
      webhook: 'https://status.example.test/hook?token=x#frag',
      headers: { Authorization: 'Bearer s3cret' },
    });
    // 6fe79f: the first hex digits of SHA-256("/hook?token=x").
    expect(outlineSteps(playbook.steps)).toEqual([
      {
        index: 0,
        name: 'Tell customers',
        action: 'notify',
        describe: 'post status update "identified" to https://status.example.test/…#6fe79f',
      },
    ]);
    const slack = parse({
      status: 'identified',
      message: 'm',
      webhook: 'https://hooks.slack.com/services/T0123/B0456/AbCdEfGhIjKlMnOpQrStUvWx',
    });
    expect(outlineSteps(slack.steps)[0]!.describe).toMatch(
      /^post status update "identified" to https:\/\/hooks\.slack\.com\/…#[0-9a-f]{6}$/,
    );
    const file = parse({ status: 'monitoring', message: 'm', file: 'updates.jsonl' });
    expect(outlineSteps(file.steps)[0]!.describe).toBe('append status update "monitoring" to updates.jsonl');
  });

  it('reports every problem with its line and column', async () => {
    const issues = await issuesOf([
      '  - name: both',
      '    notify: { status: investigating, message: m, webhook: "http://127.0.0.1:9099/s", file: u.jsonl }',
      '  - name: neither',
      '    notify: { status: investigating, message: m }',
      '  - name: wrong words',
      '    notify: { status: down, message: "", webhook: "ftp://example.test/x" }',
      '  - name: file extras',
      '    notify: { status: resolved, message: m, file: u.jsonl, timeout: 1s, headers: { X-A: b } }',
      '  - name: bad headers',
      '    notify: { status: resolved, message: m, webhook: "http://127.0.0.1:9/s", headers: { "Bad Name": x, X-Ok: "two\\nlines" } }',
      '  - name: credentials in the URL',
      '    notify: { status: resolved, message: m, webhook: "https://ops:hunter2@status.example.test/hook" }',
      '  - name: two actions',
      '    pause: 1s',
      '    notify: { status: resolved, message: m, file: u.jsonl }',
    ]);
    expect(issues).toEqual([
      '8:13: steps[0].notify: a notify step posts to a webhook or appends to a file, not both: remove one',
      '10:13: steps[1].notify: a notify step needs a webhook (an http(s) URL) or a file to send the update to',
      '12:23: steps[2].notify.status: expected one of "investigating", "identified", "monitoring" or "resolved", got "down"',
      '12:38: steps[2].notify.message: must not be empty',
      '12:51: steps[2].notify.webhook: webhook must be an http:// or https:// URL',
      '14:69: steps[3].notify.timeout: timeout only applies to a webhook; remove it',
      '14:82: steps[3].notify.headers: headers only apply to a webhook; remove them, or post to a webhook',
      '16:89: steps[4].notify.headers: key "Bad Name": a header name is letters, digits and !#$%&\'*+.^_`|~-',
      '16:110: steps[4].notify.headers.X-Ok: a header value is one line of visible characters',
      '18:54: steps[5].notify.webhook: put credentials in headers (e.g. Authorization), not in the webhook URL',
      '19:5: steps[6]: a step takes exactly one of inject, wait, run, manual, notify, pause; this one has notify and pause',
    ]);
  });
});
