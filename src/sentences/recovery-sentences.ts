import type { EventMap } from '../journal/events.js';
import { count } from '../words/number-words.js';
import type { Style } from './style.js';

/** `firedrill recover` in words: the events of a recovery journal (its reverts are fault-sentences.ts's). */

export function recoveryStartedSentence(d: EventMap['recovery.started'], s: Style): string {
  const pending = d.pending.map(s.code).join(', ');
  return `recovering run ${d.runId} on project ${s.code(d.project)}: ${count(d.pending.length, 'fault')} left applied (${pending})`;
}

export function recoveryFinishedSentence(d: EventMap['recovery.finished'], s: Style): string {
  const { paint } = s;
  if (d.unverified.length > 0) return paint.bad(`recovery incomplete: ${d.unverified.map(s.code).join(', ')} not verified`);
  const reverted = `${count(d.verified.length, 'fault')} reverted and verified`;
  if (d.exitCode === 0) return paint.good(`recovered: ${reverted}`);
  return paint.bad(`recovery incomplete: ${reverted}, but the run's journals could not be read whole`);
}
