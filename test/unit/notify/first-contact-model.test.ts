import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/journal/reader.js';
import { firstContactNote, renderCustomerUpdates } from '../../../src/report/markdown-contact.js';
import { buildDrillModel, type DrillModel } from '../../../src/report/model.js';
import type { EventMap, StepOutline } from '../../../src/journal/events.js';
import { type DrillScript, recordJournal } from '../journal/support/drill-script.js';
import { REGION_A_FAULT } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

const TARGET = 'http://127.0.0.1:9099/status';

function outline(index: number, action: StepOutline['action'], name: string): StepOutline {
  return {
    index,
    name,
    action,
    describe: action === 'notify' ? `post status update "investigating" to ${TARGET}` : 'kill every container of region a',
  };
}

function started(d: DrillScript, steps: StepOutline[], objectives: EventMap['drill.started']['objectives'] = {}): void {
  d.emit('drill.started', {
    runId: 'run-1',
    firedrillVersion: '0.1.0',
    playbook: { name: 'tell', title: 'Telling customers', summary: 's', file: 'tell.yaml', sha256: 'a'.repeat(64) },
    project: 'demo',
    endpoint: 'unix:///var/run/docker.sock',
    objectives,
    timeLimitMs: 600_000,
    rollback: 'always',
    steps,
    restore: [],
    steadyState: [],
  });
}

function notified(d: DrillScript, index: number, ok: boolean, extra: Partial<EventMap['notify.sent']> = {}): void {
  d.emit('notify.sent', {
    section: 'steps',
    index,
    status: 'investigating',
    message: `update ${index}`,
    channel: 'webhook',
    target: TARGET,
    ok,
    ...(ok ? { httpStatus: 200 } : { httpStatus: 500, error: 'HTTP 500 Internal Server Error' }),
    latencyMs: 12.5,
    attempts: 1,
    ...extra,
  });
}

function finished(d: DrillScript): void {
  d.emit('drill.finished', { verdict: 'passed', exitCode: 0, durationMs: Number(d.bus.elapsedNs()) / 1e6, reason: 'done' });
}

async function modelOf(play: (d: DrillScript) => void): Promise<DrillModel> {
  const path = join(tempDir(), 'journal.jsonl');
  recordJournal(path, play);
  return buildDrillModel(await readJournal(path));
}

const STEPS = [
  outline(0, 'notify', 'heads up'),
  outline(1, 'inject', 'lose a'),
  outline(2, 'notify', 'tell'),
  outline(3, 'notify', 'tell again'),
];

describe('customer updates in the drill model', () => {
  it('measures first contact from the first fault applied to the first update delivered after it; failed ones and earlier ones do not count', async () => {
    const model = await modelOf((d) => {
      started(d, STEPS, { firstContactMs: 60_000 });
      d.after(100);
      notified(d, 0, true); // before any fault
      d.inject('steps', 1, REGION_A_FAULT, [], 50); // applied at +150ms
      d.after(2000);
      notified(d, 2, false); // +2150ms, not delivered
      d.after(3000);
      notified(d, 3, true); // +5150ms: first contact
      d.emit('objective.evaluated', {
        scope: 'drill',
        name: 'time to first contact',
        targetMs: 60_000,
        measuredMs: 5000,
        resolutionMs: 0,
        met: true,
      });
      finished(d);
    });

    expect(model.notifications.map((n) => [n.index, n.ok, n.atMs])).toEqual([
      [0, true, 100],
      [2, false, 2150],
      [3, true, 5150],
    ]);
    expect(model.notifications[1]).toMatchObject({
      httpStatus: 500,
      error: 'HTTP 500 Internal Server Error',
      channel: 'webhook',
      target: TARGET,
    });
    expect(model.firstContact).toEqual({ afterMs: 5000, fromFaultRef: 'region-a', atMs: 5150 });
    expect(firstContactNote(model)).toBeNull();
    expect(model.objectives).toEqual([
      expect.objectContaining({ scope: 'drill', name: 'time to first contact', measuredMs: 5000, met: true, evaluated: true }),
    ]);
    expect(model.timeline.filter((item) => item.type === 'notify.sent')).toHaveLength(3);
  });

  it('keeps the recovery time and the time to first contact apart, though both are drill objectives', async () => {
    const model = await modelOf((d) => {
      started(d, STEPS, { rtoMs: 45_000, firstContactMs: 60_000 });
      d.inject('steps', 1, REGION_A_FAULT, [], 50);
      d.emit('objective.evaluated', {
        scope: 'drill',
        name: 'overall recovery time',
        targetMs: 45_000,
        measuredMs: 3000,
        resolutionMs: 250,
        met: true,
      });
      d.emit('objective.evaluated', {
        scope: 'drill',
        name: 'time to first contact',
        targetMs: 60_000,
        measuredMs: null,
        resolutionMs: null,
        met: false,
        note: 'no customer update was delivered after the first fault',
      });
      finished(d);
    });
    expect(model.objectives.map((o) => [o.name, o.met, o.evaluated])).toEqual([
      ['overall recovery time', true, true],
      ['time to first contact', false, true],
    ]);
  });

  it('says why there is no first contact', async () => {
    const noFault = await modelOf((d) => {
      started(d, STEPS);
      notified(d, 0, true);
      finished(d);
    });
    expect(noFault.firstContact).toBeNull();
    expect(firstContactNote(noFault)).toBe('no fault was applied, so there is nothing to measure from');

    const allFailed = await modelOf((d) => {
      started(d, STEPS);
      d.inject('steps', 1, REGION_A_FAULT, [], 50);
      notified(d, 2, false);
      finished(d);
    });
    expect(allFailed.firstContact).toBeNull();
    expect(firstContactNote(allFailed)).toBe('no customer update was delivered');

    const none = await modelOf((d) => {
      started(d, [outline(0, 'inject', 'lose a')]);
      d.inject('steps', 0, REGION_A_FAULT, [], 50);
      finished(d);
    });
    expect(none.notifications).toEqual([]);
    expect(firstContactNote(none)).toBe('the playbook sends no customer update');
  });
});

describe('renderCustomerUpdates', () => {
  it('is absent for a drill without notify steps', async () => {
    const model = await modelOf((d) => {
      started(d, [outline(0, 'inject', 'lose a')]);
      finished(d);
    });
    expect(renderCustomerUpdates(model, { showTargets: true })).toBeNull();
  });

  it('lists the updates as posted, says whether each got through, and states the time to first contact against its objective', async () => {
    const model = await modelOf((d) => {
      started(d, STEPS, { firstContactMs: 60_000 });
      d.inject('steps', 1, REGION_A_FAULT, [], 50);
      d.after(1000);
      notified(d, 2, false, { message: 'Checkout | *errors* in region a', attempts: 1 });
      d.after(1234.5);
      notified(d, 3, true, { status: 'identified', message: 'Traffic moved to region b.', attempts: 2 });
      d.emit('objective.evaluated', {
        scope: 'drill',
        name: 'time to first contact',
        targetMs: 60_000,
        measuredMs: 2234.5,
        resolutionMs: 0,
        met: true,
      });
      finished(d);
    });
    const text = renderCustomerUpdates(model, { showTargets: true })!;
    expect(text).toContain(
      '| +1.050s | step 3 | Investigating | “Checkout \\| \\*errors\\* in region a” | webhook `http://127.0.0.1:9099/status` | ✘ **not delivered**: HTTP 500 Internal Server Error (HTTP 500, took 0.013s) |',
    );
    expect(text).toContain(
      '| +2.284s | step 4 | Identified | “Traffic moved to region b.” | webhook `http://127.0.0.1:9099/status` | ✔ delivered (HTTP 200, 2 attempts, took 0.013s) |',
    );
    // Rounded up, never flattering: 2234.5ms is 2.235s.
    expect(text).toContain(
      '**Time to first contact: 2.235s**, from fault `region-a` being applied (at +0.050s) to the first customer update delivered (at +2.284s).',
    );
    expect(text).toContain('Objective: within 1m — ✔ met.');
    // Customers learn that updates went out, not where to.
    const forCustomers = renderCustomerUpdates(model, { showTargets: false })!;
    expect(forCustomers).not.toContain('Sent to');
    expect(forCustomers).not.toContain('127.0.0.1');
    expect(forCustomers).toContain(
      '| +2.284s | step 4 | Identified | “Traffic moved to region b.” | ✔ delivered (HTTP 200, 2 attempts, took 0.013s) |',
    );
  });

  it('says when nothing got through, and when no objective was set', async () => {
    const model = await modelOf((d) => {
      started(d, STEPS);
      d.inject('steps', 1, REGION_A_FAULT, [], 50);
      notified(d, 2, false);
      finished(d);
    });
    const text = renderCustomerUpdates(model, { showTargets: true })!;
    expect(text).toContain('**Time to first contact: not measured** — no customer update was delivered.');
    expect(text).toContain('The playbook sets no objective for it (`objectives.firstContact`).');
  });
});
