import type { Paint } from '../words/paint.js';
import { VERDICT_LABEL } from '../sentences/verdict-words.js';
import { formatBound, formatMeasured, formatTarget, formatWallTime } from '../words/time-format.js';
import { formatChange, formatChangePct } from '../words/change-format.js';
import type { ObjectiveChange, ObjectiveChangeStatus, ObjectiveSide, RunComparison, RunSide } from './compare.js';
import { objectiveShortLabel } from './objective-words.js';

const STATUS_WORD: Record<ObjectiveChangeStatus, string> = {
  worse: 'slower',
  better: 'faster',
  'within-resolution': 'no change beyond the resolution',
  'not-measured': 'not compared',
  new: 'new',
  gone: 'gone',
};

/**
 * A comparison in plain words for the terminal: which run against which, the verdicts, then one
 * line per objective saying what got faster or slower and by how much, with the resolutions
 * that bound it. Lines joined by "\n", no newline at the end.
 */
export function renderComparison(comparison: RunComparison, paint: Paint): string {
  const { baseline, current } = comparison;
  const lines = [`${runText(current)}`, `  compared with ${runText(baseline)}`];
  if (!comparison.samePlaybook) {
    lines.push(
      paint.warn(
        `  these are runs of different playbooks (${baseline.playbook ?? 'unknown'} and ${current.playbook ?? 'unknown'}): objectives are matched by name`,
      ),
    );
  }
  lines.push(
    comparison.verdictChanged
      ? `verdict: ${VERDICT_LABEL[baseline.verdict]} → ${paintVerdictWord(current, paint)}`
      : `verdict: ${VERDICT_LABEL[current.verdict]} in both`,
  );
  if (comparison.objectives.length === 0) lines.push('neither run has objectives to compare');
  for (const change of comparison.objectives) lines.push(`  ${statusWord(change.status, paint)}  ${objectiveText(change)}`);
  lines.push(tally(comparison.objectives));
  return lines.join('\n');
}

function runText(run: RunSide): string {
  const when = run.startedAt ? `, started ${formatWallTime(run.startedAt)}` : '';
  return `run ${run.runId ?? '(no run id)'} (${run.playbook ?? 'unknown playbook'}, ${VERDICT_LABEL[run.verdict].toLowerCase()}${when})`;
}

function paintVerdictWord(run: RunSide, paint: Paint): string {
  const word = VERDICT_LABEL[run.verdict];
  return run.verdict === 'passed' ? paint.good(word) : paint.bad(word);
}

function statusWord(status: ObjectiveChangeStatus, paint: Paint): string {
  const word = STATUS_WORD[status];
  if (status === 'worse') return paint.bad(word);
  if (status === 'better') return paint.good(word);
  return word;
}

function objectiveText(change: ObjectiveChange): string {
  const label = objectiveShortLabel(change);
  const b = change.baseline;
  const c = change.current;
  if (change.status === 'new') return `${label}: ${sideText(c)} in this run; the baseline has no such objective`;
  if (change.status === 'gone') return `${label}: ${sideText(b)} in the baseline; this run has no such objective`;
  if (change.status === 'not-measured' || change.changeMs === null) {
    return `${label}: ${sideText(b)} in the baseline, ${sideText(c)} now`;
  }
  const values = `${formatMeasured(b!.measuredMs!)} → ${formatMeasured(c!.measuredMs!)}`;
  const pct = change.changePct === null ? '' : ` (${formatChangePct(change.changePct)})`;
  const resolutions = `resolutions ${bound(b!)} and ${bound(c!)}`;
  if (change.status === 'within-resolution') {
    const range = `${formatChange(change.lowerBoundChangeMs!)} and ${formatChange(change.upperBoundChangeMs!)}`;
    return `${label}: ${values}, ${formatChange(change.changeMs)}${pct}, which the polling could account for: the true change lies between ${range} (${resolutions})`;
  }
  const how = change.status === 'worse' ? `${formatChange(change.changeMs)} slower` : `${formatChange(change.changeMs).slice(1)} faster`;
  return `${label}: ${values}, ${how}${pct} (${resolutions}); target ${formatTarget(c!.targetMs)}, ${metText(c!)}`;
}

function sideText(side: ObjectiveSide | null): string {
  if (!side) return 'nothing';
  if (side.measuredMs === null) return `not measured (target ${formatTarget(side.targetMs)})`;
  return `${formatMeasured(side.measuredMs)} (target ${formatTarget(side.targetMs)}, ${metText(side)})`;
}

function metText(side: ObjectiveSide): string {
  return side.met === true ? 'met' : side.met === false ? 'missed' : 'not evaluated';
}

function bound(side: ObjectiveSide): string {
  return side.resolutionMs === null ? 'not stated' : formatBound(side.resolutionMs);
}

function tally(changes: ObjectiveChange[]): string {
  const counts = (['worse', 'better', 'within-resolution', 'not-measured', 'new', 'gone'] as const)
    .map((status) => [status, changes.filter((c) => c.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${STATUS_WORD[status]}`);
  return counts.length > 0 ? `in all: ${counts.join(', ')}` : 'in all: nothing to compare';
}
