import { describe, expect, it } from 'vitest';
import { attachPlainLog } from '../../../src/cli/ui/plain-log.js';
import { stepEnd } from '../../../src/cli/ui/live-endings.js';
import { LiveDrillModel } from '../../../src/cli/ui/live-model.js';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { renderTimeline } from '../../../src/report/markdown-timeline.js';
import {
  abortingSentence,
  drillFinishedSentence,
  faultsRemainingSentence,
  steadyCheckedSentence,
} from '../../../src/sentences/drill-sentences.js';
import { faultAppliedSentence, faultRevertedSentence } from '../../../src/sentences/fault-sentences.js';
import { asSentence, briefStyle, MARKDOWN_STYLE, PLAIN_STYLE, type Style } from '../../../src/sentences/style.js';
import { formatOffset } from '../../../src/words/time-format.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from '../report/support/scenario.js';
import { DrillScript } from '../ui/drill-script.js';
import { abortedWithRollback } from '../ui/scenarios.js';

const tempDir = useTempDir();
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The sentence of an event that every renderer words the same, or undefined for one with a label or a layout of its own. */
function sentenceOf(event: { type: string; data: unknown }, s: Style): string | undefined {
  const e = event as AnyDrillEvent;
  switch (e.type) {
    case 'steady.checked':
      return steadyCheckedSentence(e.data, s);
    case 'fault.applied':
      return faultAppliedSentence(e.data, s);
    case 'drill.aborting':
      return abortingSentence(e.data, s);
    case 'fault.reverted':
      return faultRevertedSentence(e.data, s);
    case 'faults.remaining':
      return faultsRemainingSentence(e.data, s);
    case 'drill.finished':
      return drillFinishedSentence(e.data, s);
    default:
      return undefined;
  }
}

function scripted(): AnyDrillEvent[] {
  const script = new DrillScript();
  const events: AnyDrillEvent[] = [];
  script.bus.subscribe((event) => events.push(event));
  abortedWithRollback(script);
  return events;
}

describe('each renderer words an event with its sentence', () => {
  it("the report's timeline: the Markdown sentence, made a sentence", async () => {
    const { model } = await scenario(tempDir(), 'aborted-by-signal');
    const timeline = renderTimeline(model);
    const worded = model.timeline.filter((item) => sentenceOf(item, MARKDOWN_STYLE) !== undefined);
    expect(new Set(worded.map((item) => item.type)).size).toBeGreaterThanOrEqual(4);
    const lines = timeline.split('\n');
    for (const item of worded) expect(lines).toContain(`- \`${formatOffset(item.atMs)}\` ${asSentence(sentenceOf(item, MARKDOWN_STYLE)!)}`);
  });

  it('the CI log: the terminal sentence after the time', () => {
    const script = new DrillScript();
    const lines: string[] = [];
    attachPlainLog(
      (listener) => script.bus.subscribe(listener),
      (line) => lines.push(line),
      { color: false },
    );
    abortedWithRollback(script);
    const events = scripted();
    const worded = events.filter((event) => sentenceOf(event, PLAIN_STYLE) !== undefined);
    expect(worded.map((event) => event.type)).toEqual(expect.arrayContaining(['drill.aborting', 'fault.applied', 'fault.reverted']));
    for (const event of worded)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^\\S+ \\+[\\d.]+s (step [^:]+: )?${escaped(sentenceOf(event, PLAIN_STYLE)!)}$`)),
      );
  });

  it("the live view: the terminal sentence in its closing summary and in a fault step's title", () => {
    const [started, ...rest] = scripted();
    if (started?.type !== 'drill.started') throw new Error('the script starts with drill.started');
    const live = new LiveDrillModel(started.data, PLAIN_STYLE, () => 0);
    for (const event of rest) live.handle(event);
    const aborting = rest.find((event) => event.type === 'drill.aborting')!;
    const remaining = rest.find((event) => event.type === 'faults.remaining')!;
    expect(live.summary).toEqual(expect.arrayContaining([sentenceOf(aborting, PLAIN_STYLE), sentenceOf(remaining, PLAIN_STYLE)]));
    const applied = rest.find((event) => event.type === 'fault.applied');
    if (applied?.type !== 'fault.applied') throw new Error('the script applies a fault');
    const finished = { section: 'steps', index: 0, status: 'passed', durationMs: 300 } as const;
    const brief = briefStyle(PLAIN_STYLE);
    expect(stepEnd('1/3 lose region a', finished, { action: 'inject', applied: applied.data }, brief).title).toBe(
      `1/3 lose region a — ${sentenceOf(applied, brief)}`,
    );
    // A title is one line's worth: the containers are counted, and the log names them.
    expect(sentenceOf(applied, brief)).toMatch(/applied to \d+ containers? \(took /);
    expect(sentenceOf(applied, PLAIN_STYLE)).not.toMatch(/applied to \d+ containers? \(took /);
  });
});
