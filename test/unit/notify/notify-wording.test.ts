import { describe, expect, it } from 'vitest';
import { stepEnd } from '../../../src/cli/ui/live-endings.js';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { notifyText } from '../../../src/cli/ui/step-wording.js';
import type { EventMap } from '../../../src/journal/events.js';

const paint = paintFor(false);
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
    expect(notifyText(sent({}), paint)).toBe(
      'customer update "investigating" delivered to http://127.0.0.1:9099/status (HTTP 204, 0.013s)',
    );
    expect(notifyText(sent({ ok: false, httpStatus: 503, attempts: 3, error: 'HTTP 503 Service Unavailable' }), paint)).toBe(
      'customer update "investigating" NOT delivered to http://127.0.0.1:9099/status (HTTP 503, 3 attempts, 0.013s): HTTP 503 Service Unavailable',
    );
    const file = sent({ channel: 'file', target: '/runs/r1/status-updates.jsonl', httpStatus: undefined, status: 'resolved' });
    delete file.httpStatus;
    expect(notifyText(file, paint)).toBe('customer update "resolved" delivered to /runs/r1/status-updates.jsonl (0.013s)');
  });

  it("ends the live view's step with the outcome", () => {
    const end = stepEnd(
      '3/4 Tell customers',
      { section: 'steps', index: 2, status: 'passed', durationMs: 14 },
      { action: 'notify', notice: sent({}) },
      paint,
    );
    expect(end).toEqual({
      status: 'completed',
      title: '3/4 Tell customers — customer update "investigating" delivered to http://127.0.0.1:9099/status (HTTP 204, 0.013s)',
    });
  });
});
