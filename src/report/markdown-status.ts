import { capitalised, inline, quoted } from '../words/markdown-text.js';
import type { DrillModel } from './model-types.js';
import { firstAppliedFault } from './report-words.js';
import { type StageBasis, type StageModel, USUAL_STAGE_ORDER, stagesOutOfOrder } from './status-stages.js';
import { formatMeasured, formatOffset } from '../words/time-format.js';

/**
 * The status-page account: each stage, when it was reached after the fault, and the fact it
 * stands on. Unreached stages are listed with why, so a reader sees what a real incident
 * would still have lacked.
 */
export function renderStatusPage(model: DrillModel, stages: readonly StageModel[]): string {
  const fault = firstAppliedFault(model);
  if (stages.length === 0 || !fault) {
    return 'No fault was applied, so there was nothing a status page would have shown.';
  }
  const from = fault.appliedAtMs;
  const lines = stages.map((s) => {
    const head = `- **${capitalised(s.stage)}**`;
    if (s.atMs === null) return `${head}: not reached — ${inline(s.missing ?? 'no fact marks it')}.`;
    const after = Math.max(0, s.atMs - from);
    return sentence(`${head} at ${formatOffset(s.atMs)}, ${formatMeasured(after)} after the fault: ${basisText(s.basis)}`);
  });
  const intro =
    'How this drill would have read on a status page, each stage placed at the fact it stands on and listed in the order it was reached (times since the drill started; a stage not reached comes last):';
  const order = orderNote(stages);
  return [intro, '', ...lines, ...(order ? ['', order] : [])].join('\n');
}

/** What each stage tells customers, for saying what an unusual order means. */
const STAGE_MEANING: Record<StageModel['stage'], string> = {
  investigating: 'the trouble was seen',
  identified: 'the cause was identified',
  monitoring: 'the service was back and being watched',
  resolved: 'the incident was over',
};

/** Says so when the stages came in another order than the usual one, and what that means. */
function orderNote(stages: readonly StageModel[]): string | undefined {
  const pairs = stagesOutOfOrder(stages);
  if (pairs.length === 0) return undefined;
  const clauses = pairs.map(
    ([first, usual]) => `${first.stage} (${STAGE_MEANING[first.stage]}) came before ${usual.stage} (${STAGE_MEANING[usual.stage]})`,
  );
  return `This is not the usual order (${USUAL_STAGE_ORDER.join(' → ')}): ${joinAnd(clauses)}.`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join('; ')}; and ${items.at(-1)}`;
}

/** A full stop, unless the text already ends a sentence (a quoted update usually does). */
function sentence(text: string): string {
  return /[.!?][”"]?$/.test(text) ? text : `${text}.`;
}

function basisText(basis: StageBasis | null): string {
  if (basis === null) return 'no fact recorded';
  switch (basis.kind) {
    case 'update':
      return `the drill posted the update ${quoted(basis.message)}`;
    case 'detected':
      return `the check ${quoted(basis.check)} first failed (${inline(basis.summary)})`;
    case 'fault-applied':
      return 'the fault was applied; no check saw it fail';
    case 'recovery-action':
      return `the recovery action ${quoted(basis.step)} began`;
    case 'held':
      return `the check ${quoted(basis.check)} held again`;
    case 'rolled-back': {
      const steady = basis.steadyChecks > 0 ? ' and the steady state was back' : '';
      return `every fault was reverted and verified${steady}`;
    }
  }
}
