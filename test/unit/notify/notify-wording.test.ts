import { describe, expect, it } from 'vitest';
import { stepEnd } from '../../../src/cli/ui/live-endings.js';
import { terminalStyleFor } from '../../../src/cli/ui/paint.js';
import { notifySentSentence } from '../../../src/sentences/step-sentences.js';
import type { EventMap } from '../../../src/journal/events.js';

const style = terminalStyleFor(false);
const sent = (extra: Partial<EventMap['notify.sent']>): EventMap['notify.sent'] => ({
  section: 'steps',
  index: 2,
  status: 'investigating',
  message: 'm',
  channel: 'webhook',
  target: 'http://127.0.0.1:9099/status',
  ok: true,
  httpStatus: 204,
  latencyMs: 12.3,
  attempts: 1,
  ...extra,
});

describe('notify wording in the terminal', () => {
  it('says what was sent where, and whether it got through', () => {
    expect(notifySentSentence(sent({}), style)).toBe(
      'the customer update "Investigating: m" was posted to http://127.0.0.1:9099/status (HTTP 204, 0.013s)',
    );
    expect(notifySentSentence(sent({ ok: false, httpStatus: 503, attempts: 3, error: 'HTTP 503 Service Unavailable' }), style)).toBe(
      'the customer update "Investigating: m" was not posted to http://127.0.0.1:9099/status (HTTP 503, 3 attempts, 0.013s): HTTP 503 Service Unavailable',
    );
    const file = sent({ channel: 'file', target: '/runs/r1/status-updates.jsonl', httpStatus: undefined, status: 'resolved' });
    delete file.httpStatus;
    expect(notifySentSentence(file, style)).toBe('the customer update "Resolved: m" was posted to /runs/r1/status-updates.jsonl (0.013s)');
  });

  it("ends the live view's step with the outcome", () => {
    const end = stepEnd(
      '3/4 Tell customers',
      { section: 'steps', index: 2, status: 'passed', durationMs: 14 },
      { action: 'notify', notice: sent({}) },
      style,
    );
    expect(end).toEqual({
      status: 'completed',
      title: '3/4 Tell customers — the customer update "Investigating: m" was posted to http://127.0.0.1:9099/status (HTTP 204, 0.013s)',
    });
  });
});
