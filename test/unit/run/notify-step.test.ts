import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeliverStatusUpdate, DeliveryResult, StatusChannel, StatusUpdate } from '../../../src/notify/status-update.js';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import type { DrillContext } from '../../../src/run/drill-context.js';
import { DrillFacts } from '../../../src/run/drill-facts.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap, EventType } from '../../../src/journal/events.js';
import { planDrill } from '../../../src/plan/plan.js';
import { RollbackLedger } from '../../../src/run/rollback-ledger.js';
import { runNotifyStep } from '../../../src/run/steps/notify-step.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

const TELL = {
  status: 'investigating' as const,
  message: 'Checkout is failing in one region; traffic is moving to the other.',
  required: false,
};
const WHEN = '2026-11-21T09:00:00.000Z';

function recorder(bus: EventBus) {
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const of = <T extends EventType>(type: T) => events.filter((e) => e.type === type).map((e) => e.data as EventMap[T]);
  return { events, of };
}

/** With `faultApplied`, a fault took effect at +0 (before anything is recorded): the update is a contact about it. */
function stepContext(opts: { runDir?: string; faultApplied?: boolean } = {}) {
  const clock = new FakeClock();
  const engine = new FakeEngine([{ service: 'app', project: 'shop' }], { project: 'shop' });
  const bus = new EventBus(clock);
  const facts = new DrillFacts(bus);
  if (opts.faultApplied) bus.emit('fault.applied', { ref: 'freeze', kind: 'service', targets: ['shop-app-1'], injectMs: 0 });
  const playbook = playbookSchema.parse({
    name: 'checkout-loss',
    title: 'Checkout loss',
    summary: 's',
    topology: { project: 'shop' },
    steps: [{ name: 'pause', pause: '1s' }],
  });
  const ctx: DrillContext = {
    playbook,
    engine,
    clock,
    bus,
    topology: engine.topology(),
    ledger: new RollbackLedger(),
    plannedFaults: new Map(),
    facts,
    runId: 'run-7',
    ...(opts.runDir ? { runDir: opts.runDir } : {}),
  };
  return { ctx, clock, ...recorder(bus) };
}

/** A delivery that takes `latencyMs` on the fake clock, then answers `result`; it records what it was given. */
function fakeDelivery(clock: FakeClock, latencyMs: number, result: (call: number) => DeliveryResult) {
  const calls: { channel: StatusChannel; update: StatusUpdate }[] = [];
  const deliver: DeliverStatusUpdate = async (channel, update, signal) => {
    calls.push({ channel, update });
    await clock.sleep(latencyMs, signal);
    return result(calls.length);
  };
  return { deliver, calls };
}

const delivered = (): DeliveryResult => ({ ok: true, attempts: 1, httpStatus: 202 });
const unavailable = (): DeliveryResult => ({ ok: false, attempts: 3, httpStatus: 503, error: 'HTTP 503 Service Unavailable' });
const at = { section: 'steps' as const, index: 2 };
const journaled = (events: AnyDrillEvent[]) =>
  JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));

describe('the notify step', () => {
  it('hands the documented update to the channel and journals the outcome when it is known, without secrets', async () => {
    const { ctx, clock, events, of } = stepContext({ faultApplied: true });
    const { deliver, calls } = fakeDelivery(clock, 120, delivered);
    ctx.deliverStatusUpdate = deliver;
    const spec = {
      ...TELL,
      webhook: 'https://user:pw@status.example.test/hooks/drill?token=abc',
      headers: { Authorization: 'Bearer s3cret' },
    };

    expect(await runNotifyStep(ctx, at, spec, new AbortController().signal)).toEqual({ ok: true });

    expect(calls).toEqual([
      {
        channel: { kind: 'webhook', url: spec.webhook, headers: { Authorization: 'Bearer s3cret' }, timeoutMs: 5000 },
        update: { drill: 'checkout-loss', runId: 'run-7', status: 'investigating', message: TELL.message, sentAt: WHEN },
      },
    ]);
    expect(of('notify.sent')).toEqual([
      {
        section: 'steps',
        index: 2,
        status: 'investigating',
        message: TELL.message,
        channel: 'webhook',
        target: 'https://status.example.test/…#0ea34f',
        ok: true,
        httpStatus: 202,
        latencyMs: 120,
        attempts: 1,
      },
    ]);
    // Stamped when the outcome was known, and counted as a contact at that moment.
    expect(events[0]!.monoNs).toBe(120_000_000n);
    expect(ctx.facts.firstContactNs).toBe(120_000_000n);
    for (const secret of ['s3cret', 'token=abc', 'pw@', '/hooks/drill']) expect(journaled(events)).not.toContain(secret);
  });

  it('records a failed delivery and lets the drill go on; with required: true the step fails', async () => {
    const spec = { ...TELL, webhook: 'http://127.0.0.1:9/status' };
    // A fault is in effect, yet an update that was not delivered is no contact.
    const relaxed = stepContext({ faultApplied: true });
    relaxed.ctx.deliverStatusUpdate = fakeDelivery(relaxed.clock, 40, unavailable).deliver;
    expect(await runNotifyStep(relaxed.ctx, at, spec, new AbortController().signal)).toEqual({ ok: true });
    expect(relaxed.of('notify.sent')).toEqual([
      expect.objectContaining({ ok: false, httpStatus: 503, attempts: 3, error: 'HTTP 503 Service Unavailable', latencyMs: 40 }),
    ]);
    expect(relaxed.ctx.facts.firstContactNs).toBeUndefined();

    const strict = stepContext();
    strict.ctx.deliverStatusUpdate = fakeDelivery(strict.clock, 40, unavailable).deliver;
    expect(await runNotifyStep(strict.ctx, at, { ...spec, required: true }, new AbortController().signal)).toEqual({
      ok: false,
      error: 'status update not delivered to http://127.0.0.1:9/…#ae4267: HTTP 503 Service Unavailable',
    });
    expect(strict.of('notify.sent')).toHaveLength(1);
  });

  it('ends the step when the drill aborts during delivery, and still journals what happened', async () => {
    const { ctx, clock, of } = stepContext();
    const abort = new AbortController();
    ctx.deliverStatusUpdate = async (_channel, _update, signal) => {
      await clock.sleep(10);
      abort.abort();
      return { ok: false, attempts: 1, error: signal.aborted ? 'aborted: the drill is stopping' : 'the signal was not passed on' };
    };
    expect(await runNotifyStep(ctx, at, { ...TELL, webhook: 'http://127.0.0.1:9/s' }, abort.signal)).toEqual({
      ok: false,
      error: 'aborted while sending the status update',
    });
    expect(of('notify.sent')).toEqual([expect.objectContaining({ ok: false, error: 'aborted: the drill is stopping' })]);
  });

  it('a delivery that throws is a failed delivery, not a crashed step', async () => {
    const { ctx, of } = stepContext();
    ctx.deliverStatusUpdate = () => Promise.reject(new Error('channel exploded'));
    expect(await runNotifyStep(ctx, at, { ...TELL, webhook: 'http://127.0.0.1:9/s' }, new AbortController().signal)).toEqual({ ok: true });
    expect(of('notify.sent')).toEqual([expect.objectContaining({ ok: false, attempts: 0, error: 'channel exploded' })]);
  });

  it('puts a relative file in the run directory, keeps an absolute one, and refuses a relative one without a run directory', async () => {
    const runDir = tempDir();
    const withDir = stepContext({ runDir });
    const spec = { ...TELL, file: 'status-updates.jsonl' };
    expect(await runNotifyStep(withDir.ctx, at, spec, new AbortController().signal)).toEqual({ ok: true });
    const line = JSON.parse(readFileSync(join(runDir, 'status-updates.jsonl'), 'utf8')) as StatusUpdate;
    expect(line).toEqual({ drill: 'checkout-loss', runId: 'run-7', status: 'investigating', message: TELL.message, sentAt: WHEN });
    // The target is the file as the playbook named it: where the run directory is on this machine stays out of the journal.
    expect(withDir.of('notify.sent')).toEqual([
      expect.objectContaining({ channel: 'file', target: 'status-updates.jsonl', ok: true, attempts: 1 }),
    ]);

    const absolute = join(tempDir(), 'updates.jsonl');
    const elsewhere = stepContext({ runDir });
    expect(await runNotifyStep(elsewhere.ctx, at, { ...spec, file: absolute }, new AbortController().signal)).toEqual({ ok: true });
    expect(readFileSync(absolute, 'utf8').trim().split('\n')).toHaveLength(1);

    const missing = stepContext({ runDir });
    expect(await runNotifyStep(missing.ctx, at, { ...spec, file: 'updates/status.jsonl' }, new AbortController().signal)).toEqual({
      ok: true,
    });
    expect(missing.of('notify.sent')).toEqual([
      expect.objectContaining({
        target: 'updates/status.jsonl',
        ok: false,
        error: 'cannot write updates/status.jsonl: its directory does not exist (ENOENT)',
      }),
    ]);
    expect(journaled(missing.events)).not.toContain(runDir);

    const noDir = stepContext();
    expect(await runNotifyStep(noDir.ctx, at, { ...spec, required: true }, new AbortController().signal)).toMatchObject({ ok: false });
    expect(noDir.of('notify.sent')).toEqual([
      expect.objectContaining({
        ok: false,
        attempts: 0,
        error: 'there is no run directory to put status-updates.jsonl in; give an absolute path',
      }),
    ]);
  });
});

describe('a drill with notify steps and objectives.firstContact', () => {
  const notify = (status: 'investigating' | 'resolved') => ({
    name: `tell ${status}`,
    notify: { status, message: `now ${status}`, webhook: 'http://127.0.0.1:9/s' },
  });
  const pauseApp = { name: 'freeze the app', inject: { kind: 'service' as const, id: 'freeze', service: 'app', mode: 'pause' as const } };

  async function runWith(steps: PlaybookInput['steps'], result: (call: number) => DeliveryResult) {
    const clock = new FakeClock();
    const engine = new FakeEngine([{ service: 'app', project: 'shop', status: 'running' }], { project: 'shop' });
    const input: PlaybookInput = {
      name: 'tell',
      title: 'Tell customers',
      summary: 's',
      topology: { project: 'shop' },
      objectives: { firstContact: '30s' },
      steps,
    };
    const plan = await planDrill(
      { playbook: playbookSchema.parse(input), file: 'tell.yaml', sha256: 'x'.repeat(64), project: 'shop' },
      engine,
    );
    const bus = new EventBus(clock);
    const seen = recorder(bus);
    const delivery = fakeDelivery(clock, 250, result);
    const outcome = await runDrill({
      plan,
      engine,
      clock,
      bus,
      runId: 'run-1',
      firedrillVersion: '0.0.0',
      signal: new AbortController().signal,
      deliverStatusUpdate: delivery.deliver,
    });
    return { outcome, calls: delivery.calls, ...seen };
  }

  it('measures from the first fault to the first update delivered after it: one sent before the fault does not count', async () => {
    const drill = await runWith(
      [notify('investigating'), pauseApp, { name: 'look', pause: '12s' }, notify('investigating'), notify('resolved')],
      delivered,
    );

    expect(drill.calls.map((c) => c.update.status)).toEqual(['investigating', 'investigating', 'resolved']);
    expect(drill.of('drill.started')[0]!.objectives).toEqual({ firstContactMs: 30_000 });
    // The fault is applied at once after the first update (250ms), then 12s of looking, then 250ms to deliver.
    expect(drill.of('objective.evaluated')).toEqual([
      { scope: 'drill', name: 'time to first contact', targetMs: 30_000, measuredMs: 12_250, resolutionMs: 0, met: true },
    ]);
    expect(drill.outcome.verdict).toBe('passed');
  });

  it('misses the objective when no update gets through, and the drill fails for it', async () => {
    const drill = await runWith([pauseApp, notify('investigating')], unavailable);
    expect(drill.of('notify.sent')).toEqual([expect.objectContaining({ ok: false, httpStatus: 503 })]);
    expect(drill.of('step.finished').map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(drill.of('objective.evaluated')).toEqual([
      expect.objectContaining({
        name: 'time to first contact',
        measuredMs: null,
        met: false,
        note: 'no customer update was delivered after the first fault',
      }),
    ]);
    expect(drill.outcome.verdict).toBe('failed');
  });

  it('counts a late update against the objective', async () => {
    const drill = await runWith([pauseApp, { name: 'dither', pause: '45s' }, notify('identified' as 'investigating')], delivered);
    expect(drill.of('objective.evaluated')).toEqual([expect.objectContaining({ measuredMs: 45_250, met: false })]);
    expect(drill.outcome.verdict).toBe('failed');
  });
});
