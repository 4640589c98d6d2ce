import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { eventDataProblem } from '../../../src/journal/event-schema.js';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderFindings, renderRollback } from '../../../src/report/markdown-rollback.js';
import { inline } from '../../../src/words/markdown-text.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { decideVerdict } from '../../../src/run/verdict.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap } from '../../../src/journal/events.js';
import { planDrill } from '../../../src/plan/plan.js';
import { differenceLines, faultRevertedSentence } from '../../../src/sentences/fault-sentences.js';
import { PLAIN_STYLE } from '../../../src/sentences/style.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine, type FakeContainer } from '../../support/fake-engine.js';
import { junitCasesOf } from '../report/support/junit-cases-of.js';
import { answerNamespaceReading } from '../faults/fake-namespace-script.js';

/**
 * A region-loss isolate drill run whole, against the FakeEngine (Engine 20.10's addressing: lowest
 * free address, no requests on a subnet the engine chose; interfaces named eth<next>). What the
 * revert could not give back decides the verdict: an address other containers see otherwise
 * fails the drill (exit 1), an interface name alone does not.
 */

const PROJECT = 'ledgerworks';

function topology() {
  const engine = new FakeEngine(
    [
      { service: 'teller', project: PROJECT, networks: ['ledgerworks_core'], labels: { 'bank.site': 'north' } },
      { service: 'vault', project: PROJECT, networks: ['ledgerworks_core', 'ledgerworks_audit'], labels: { 'bank.site': 'south' } },
      { service: 'vault', project: PROJECT, networks: ['ledgerworks_core', 'ledgerworks_audit'], labels: { 'bank.site': 'south' } },
    ],
    {
      project: PROJECT,
      networks: [
        { name: 'ledgerworks_core', subnet: '10.9.0' },
        { name: 'ledgerworks_audit', subnet: '10.8.0' },
      ],
    },
  );
  const listing = (container: FakeContainer) => ({ exitCode: 0, stdout: engine.interfaceListing(container.id), stderr: '' });
  engine.onHelper((spec, target) => answerNamespaceReading(engine, spec, target, listing) ?? listing(target!));
  return engine;
}

const playbook: PlaybookInput = {
  name: 'south-site-cut-off',
  title: 'South site cut off',
  summary: 'The vaults of the south site lose their networks.',
  topology: { project: PROJECT, regionLabel: 'bank.site' },
  steps: [
    { name: 'cut the south site off', inject: { kind: 'region-loss', id: 'south', region: 'south', mode: 'isolate' } },
    {
      name: 'the teller answers',
      wait: { probe: { kind: 'exec', service: 'teller', command: ['teller-ok'] }, every: '250ms', timeout: '10s' },
    },
  ],
};

/** Runs the drill; `meanwhile` acts once on the topology while the fault is applied (at the first probe). */
async function drill(meanwhile?: (engine: FakeEngine) => Promise<void>) {
  const engine = topology();
  const clock = new FakeClock();
  let acted = false;
  engine.onExec(async () => {
    if (meanwhile && !acted) {
      acted = true;
      await meanwhile(engine);
    }
    return { exitCode: 0, stdout: 'ok', stderr: '' };
  });
  const parsed = playbookSchema.parse(playbook);
  const plan = await planDrill({ playbook: parsed, file: 'south.yaml', sha256: 'a'.repeat(64), project: PROJECT }, engine);
  const bus = new EventBus(clock);
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const outcome = await runDrill({
    plan,
    engine,
    clock,
    bus,
    runId: 'run-south',
    firedrillVersion: '0.0.0',
    signal: new AbortController().signal,
  });
  const entries = events.map(
    (e, seq) => ({ seq, time: e.time.toISOString(), monoNs: Number(e.monoNs), type: e.type, data: e.data, prev: '' }) as JournalEntry,
  );
  const reverted = events.filter((e) => e.type === 'fault.reverted').map((e) => e.data as EventMap['fault.reverted']);
  return { outcome, events, entries, reverted, engine };
}

/** The teller takes the lowest free address on the audit network: the first vault's, while it is away. */
async function tellerTakesAnAuditAddress(engine: FakeEngine): Promise<void> {
  const audit = engine.topology({ regionLabel: 'bank.site' }).networks.find((n) => n.name === 'ledgerworks_audit')!;
  await engine.connect(audit.id, engine.containersOf('teller')[0]!.id, { aliases: [] });
}

describe('the verdict of an isolate drill follows what the revert gave back', () => {
  it('an address taken meanwhile: the fault stays reverted, but the drill fails with exit 1, a finding and a failing rollback case', async () => {
    const { outcome, events, entries, reverted } = await drill(tellerTakesAnAuditAddress);

    expect(outcome).toMatchObject({ verdict: 'failed', exitCode: 1 });
    expect(outcome.reason).toBe('the topology was not given back as found (the revert of fault "south")');
    // Reverted and verified: nothing is left for recover, nothing is pending.
    expect(reverted).toHaveLength(1);
    expect(reverted[0]).toMatchObject({ ref: 'south', verified: true, problems: [] });
    expect(events.some((e) => e.type === 'faults.remaining')).toBe(false);
    // The journal holds the facts, and they fit the event schema.
    const vault1 = 'ledgerworks-vault-1';
    expect(reverted[0]!.differences).toContainEqual({
      container: vault1,
      network: 'ledgerworks_audit',
      aspect: 'ipv4',
      before: '10.8.0.2',
      after: '10.8.0.4',
    });
    expect(eventDataProblem('fault.reverted', reverted[0])).toBeUndefined();

    // The log, the report and junit.xml say it, each from the same sentence.
    const sentence = `${vault1} on network ledgerworks_audit has the IPv4 address 10.8.0.4, not 10.8.0.2 as before: names resolved before the drill lead elsewhere`;
    expect(faultRevertedSentence(reverted[0]!, PLAIN_STYLE)).toContain(`fault "south" reverted, but not as it was: ${sentence}; `);
    expect(differenceLines(reverted[0]!, PLAIN_STYLE)).toContain(`difference: ${sentence}`);
    expect(faultRevertedSentence(reverted[0]!, PLAIN_STYLE, true)).toBe('fault "south" reverted, but not as it was');
    const model = buildDrillModel(entries);
    expect(model.verdict).toBe('failed');
    expect(renderRollback(model)).toContain(`difference: ${inline(sentence)}`);
    expect(renderRollback(model)).toContain('the topology is **not as it was found**');
    expect(renderFindings(model)).toContain('The revert of fault `south` did not give the topology back as found');
    const cases = junitCasesOf(renderJunit(model));
    const rollback = cases.find((c) => c.name === 'revert south (region-loss)')!;
    expect(rollback).toMatchObject({ result: 'failure', type: 'rollback-not-exact' });
    expect(rollback.message).toContain(sentence);
    expect(cases.find((c) => c.name === 'verdict')).toMatchObject({ result: 'failure', type: 'drill-failed' });
  });

  it('only interface names differ (an engine before 28): reported the same way, and the drill passes', async () => {
    const { outcome, entries, reverted } = await drill();

    expect(outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    const differences = reverted[0]!.differences ?? [];
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.every((d) => typeof d !== 'string' && d.aspect === 'interface')).toBe(true);
    expect(eventDataProblem('fault.reverted', reverted[0])).toBeUndefined();

    const model = buildDrillModel(entries);
    expect(renderRollback(model)).toContain(
      `difference: ${inline('ledgerworks-vault-1 is on network ledgerworks_core through interface eth2, not eth0 as before')}`,
    );
    expect(renderFindings(model)).toContain('could not give everything back as it was');
    const cases = junitCasesOf(renderJunit(model));
    expect(cases.find((c) => c.name === 'revert south (region-loss)')).toMatchObject({ result: 'passed' });
    expect(cases.find((c) => c.name === 'revert south (region-loss)')!.output).toContain(
      'difference: ledgerworks-vault-1 is on network ledgerworks_core through interface eth2',
    );
  });

  it('a journal from before the facts were recorded (sentences) still reads, and its sentences are shown as they are', async () => {
    const { entries } = await drill();
    const old = 'ledgerworks-vault-2 is on network ledgerworks_core through interface eth2, not eth0 as before';
    const rewritten = entries.map((e) =>
      e.type === 'fault.reverted' ? ({ ...e, data: { ...e.data, differences: [old] } } as JournalEntry) : e,
    );
    const data = rewritten.find((e) => e.type === 'fault.reverted')!.data;
    expect(eventDataProblem('fault.reverted', data)).toBeUndefined();
    expect(faultRevertedSentence(data as EventMap['fault.reverted'], PLAIN_STYLE)).toBe(
      `fault "south" reverted, but not as it was: ${old}`,
    );
    const model = buildDrillModel(rewritten);
    expect(renderRollback(model)).toContain(`difference: ${inline(old)}`);
    expect(junitCasesOf(renderJunit(model)).find((c) => c.name === 'revert south (region-loss)')).toMatchObject({ result: 'passed' });
    // A difference that is neither a sentence nor facts is damage.
    expect(
      eventDataProblem('fault.reverted', { ...data, differences: [{ container: 'x', aspect: 'colour', before: null, after: null }] }),
    ).toContain('data.differences');
  });
});

describe('decideVerdict: a topology not given back as found', () => {
  const facts = {
    stepFailed: false,
    objectivesMissed: 0,
    objectivesTotal: 1,
    restoreFailed: false,
    steadyStateAfterFailed: false,
    faultsRemaining: 0,
    regressions: 0,
  };

  it('fails a drill that met its objectives, naming the faults', () => {
    expect(decideVerdict({ ...facts, notGivenBack: ['south', 'north'] })).toEqual({
      verdict: 'failed',
      exitCode: 1,
      reason: 'the topology was not given back as found (the revert of faults "south", "north")',
    });
  });

  it('is worth less than an abort or a fault that may remain: those codes win', () => {
    expect(decideVerdict({ ...facts, notGivenBack: ['south'], abortCause: 'signal' })).toMatchObject({ verdict: 'aborted', exitCode: 4 });
    expect(decideVerdict({ ...facts, notGivenBack: ['south'], faultsRemaining: 1 })).toMatchObject({
      verdict: 'rollback-incomplete',
      exitCode: 5,
    });
    expect(decideVerdict({ ...facts, notGivenBack: [] })).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
});
