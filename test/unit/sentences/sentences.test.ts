import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import {
  abortingSentence,
  drillFinishedSentence,
  drillStartedSentence,
  steadyCheckedSentence,
  topologySentence,
} from '../../../src/sentences/drill-sentences.js';
import {
  faultAppliedSentence,
  faultInjectFailedSentence,
  faultRevertedSentence,
  revertByHand,
} from '../../../src/sentences/fault-sentences.js';
import { breachedSentence } from '../../../src/sentences/guard-sentences.js';
import { notifySentSentence, waitFinishedSentence, type WaitSeen } from '../../../src/sentences/step-sentences.js';
import { asSentence, briefStyle, MARKDOWN_STYLE, PLAIN_STYLE, terminalStyle } from '../../../src/sentences/style.js';
import { EVENTS } from './events.js';

const COLOURED = terminalStyle(paintFor(true));
const uncoloured = (text: string) => text.replace(/\u001b\[\d+m/g, '');
const SEEN: WaitSeen = { firstOk: { atMs: 5200, sample: 4 }, lastFailureSample: 6, heldFromAtMs: 6100, everyMs: 500 };

/** Each sentence in the report's style and the terminal's: the same words, emphasis and particulars apart. */
const CASES: { name: string; say: (style: typeof PLAIN_STYLE) => string; markdown: string; plain: string }[] = [
  {
    name: 'drill.started',
    say: (s) => drillStartedSentence(EVENTS.started, s),
    markdown: 'drill “Ledger \\*primary\\* lost” started against project `pay_ledger`: 1 step, time limit 1m30s',
    plain: 'drill "Ledger *primary* lost" started against project "pay_ledger": 1 step, time limit 1m30s; run r-7 on tcp://127.0.0.1:2375',
  },
  {
    name: 'topology.resolved',
    say: (s) => topologySentence(EVENTS.topology, s),
    markdown: 'found 1 service and 1 container',
    plain: 'found 1 service and 1 container, regions eu (ledger), 0 networks',
  },
  {
    name: 'steady.checked',
    say: (s) => steadyCheckedSentence(EVENTS.steady, s),
    markdown: 'steady state after: tcp ledger:5432 **did not hold** (refused \\| reset, after 3 attempts)',
    plain: 'steady state after: tcp ledger:5432 did not hold (refused | reset, after 3 attempts)',
  },
  {
    name: 'fault.applied',
    say: (s) => faultAppliedSentence(EVENTS.applied, s),
    markdown: 'fault `cut_a` (network-partition) applied to l-1, l-2 (took 1.235s)',
    plain: 'fault "cut_a" (network-partition) applied to l-1, l-2 (took 1.235s)',
  },
  {
    name: 'fault.inject-failed',
    say: (s) => faultInjectFailedSentence(EVENTS.failed, s),
    markdown: 'fault `cut_a` (latency) could not be applied: tc: \\*not\\* found',
    plain: 'fault "cut_a" (latency) could not be applied: tc: *not* found',
  },
  {
    name: 'drill.aborting',
    say: (s) => abortingSentence(EVENTS.aborting, s),
    markdown: '**aborting** — the time limit was reached: the drill ran past 1m30s',
    plain: 'aborting — the time limit was reached: the drill ran past 1m30s',
  },
  {
    name: 'fault.reverted',
    say: (s) => faultRevertedSentence(EVENTS.reverted, s),
    markdown: 'fault `cut_a` reverted, but **not verified**: l-2 still detached',
    plain: 'fault "cut_a" reverted, but not verified: l-2 still detached',
  },
  {
    name: 'stop-condition.breached',
    say: (s) => breachedSentence(EVENTS.breached, s, { ref: 'cut_a', sinceAppliedMs: 4000 }),
    markdown: '**stop condition “pay answers” breached** — more than 50% of 4 checks failed',
    plain:
      'stop condition "pay answers" breached — more than 50% of 4 checks failed; first failure in the window at +7.500s, ' +
      '4.000s after fault "cut_a" was applied; last check: HTTP 502',
  },
  {
    name: 'wait.finished',
    say: (s) => waitFinishedSentence(EVENTS.wait, SEEN, s),
    markdown:
      '9 samples; first healthy at +5.200s, then failing again; healthy from +6.100s; ' +
      'recovered 2.101s after fault `cut_a` was applied (±500ms, polled every 500ms)',
    plain:
      '9 samples; first healthy at +5.200s, then failing again; healthy from +6.100s; ' +
      'recovered 2.101s after fault "cut_a" was applied (±500ms, polled every 500ms)',
  },
  {
    name: 'drill.finished',
    say: (s) => drillFinishedSentence(EVENTS.finished, s),
    markdown: 'drill finished: **Aborted**, exit code 4 — the time limit was reached',
    plain: 'drill finished: Aborted, exit code 4 — the time limit was reached; it took 91.001s',
  },
];

describe('one sentence per event', () => {
  for (const c of CASES) {
    it(`${c.name}: the report's words in Markdown, the same words on the terminal, coloured or not`, () => {
      expect(c.say(MARKDOWN_STYLE)).toBe(c.markdown);
      expect(c.say(PLAIN_STYLE)).toBe(c.plain);
      expect(uncoloured(c.say(COLOURED))).toBe(c.plain);
    });
  }

  it('paints on the terminal what the report makes strong, and the report shows no colour', () => {
    expect(abortingSentence(EVENTS.aborting, COLOURED)).toContain('\u001b[31maborting\u001b[39m');
    expect(drillFinishedSentence(EVENTS.finished, COLOURED)).toContain('\u001b[33mAborted\u001b[39m');
    expect(steadyCheckedSentence(EVENTS.steady, COLOURED)).toContain('\u001b[31mdid not hold\u001b[39m');
    for (const c of CASES) expect(c.say(MARKDOWN_STYLE)).not.toContain('\u001b');
  });

  it('leaves the commands of a revert not verified to their own lines, and none for one verified', () => {
    expect(revertByHand(EVENTS.reverted)).toEqual(['to finish by hand: docker network connect n l-2']);
    expect(revertByHand({ ...EVENTS.reverted, verified: true })).toEqual([]);
  });

  it('makes a clause a sentence as the timeline writes it, past the emphasis that opens it', () => {
    expect(asSentence('fault `a` applied')).toBe('Fault `a` applied.');
    expect(asSentence('**aborting** — the time limit was reached')).toBe('**Aborting** — the time limit was reached.');
  });
});

describe("a brief sentence (the live view's step titles)", () => {
  it("cuts a long customer update to one line's worth, where the log keeps it whole", () => {
    const message = 'Checkout is slow in the eastern region while we move payment traffic to the western one.';
    const sent = {
      section: 'steps',
      index: 2,
      status: 'identified',
      message,
      target: 'https://status.example.test',
      ok: true,
      attempts: 1,
      latencyMs: 12,
    } as const;
    const brief = notifySentSentence(sent as never, briefStyle(PLAIN_STYLE));
    expect(brief).toBe('the customer update "Identified: Checkout is slow in the eastern region …" was posted');
    expect(notifySentSentence(sent as never, PLAIN_STYLE)).toContain(message);
  });
});
