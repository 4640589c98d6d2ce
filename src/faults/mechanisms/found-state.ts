import { isContainerGone } from '../../engine/container-gone.js';
import { messageOf } from '../../errors.js';
import type { ContainerState } from '../../engine/ports.js';
import { goneNote, settledState } from './container-restore.js';
import type { FaultContext, FaultTarget, RevertResult } from '../fault.js';

/**
 * What the faults that act inside containers (process-kill, resource-limits, disk-fill) do
 * with a target they find stopped or paused when they revert. They never pause or stop a
 * container themselves, so such a state may be another fault's that is still applied (a newer
 * `service` pause or stop whose revert comes later): resuming it would silently end that fault.
 * So they never unpause, and they start a container only when their own effect stopped it (its
 * main process signalled, an OOM kill under their memory limit). Anything else is left as it
 * was found, and the revert says so.
 */

/**
 * Observes a target after a revert: running is fine; one that `stoppedBy` says this fault
 * stopped is started and observed again; anything else is left as found, with `notOurs`
 * saying why it is not this fault's to change.
 */
export async function runningOrLeft(
  target: FaultTarget,
  ctx: FaultContext,
  reasons: { stoppedBy: (state: ContainerState) => string | undefined; notOurs: (state: ContainerState) => string },
): Promise<RevertResult> {
  let state: ContainerState;
  try {
    state = await settledState(target, ctx);
  } catch (error) {
    if (isContainerGone(error)) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
    return {
      verified: false,
      done: [],
      problems: [`could not observe ${target.name}: ${messageOf(error)}`],
      manual: [`docker start ${target.containerId}  # if it is not running and should be`],
    };
  }
  if (state.status === 'running') return { verified: true, done: [`${target.name} was running`], problems: [], manual: [] };
  const cause = state.status === 'paused' ? undefined : reasons.stoppedBy(state);
  if (cause !== undefined) return startAgain(target, ctx, `it was ${state.status}: ${cause}`);
  return { verified: true, done: [leftAsFound(target, state, reasons.notOurs(state))], problems: [], manual: [] };
}

/** "demo-app-1 is paused, not by this fault: left paused (`docker unpause …` resumes it)". */
export function leftAsFound(target: FaultTarget, state: ContainerState, because: string): string {
  if (state.status === 'paused') {
    return `${target.name} is paused, ${because}: left paused (\`docker unpause ${target.containerId}\` resumes it)`;
  }
  return `${target.name} is ${state.status}, ${because}: left as it is (\`docker start ${target.containerId}\` starts it)`;
}

/** Starts a target this fault's own effect stopped, then observes that it runs. */
async function startAgain(target: FaultTarget, ctx: FaultContext, cause: string): Promise<RevertResult> {
  const manual = [`docker start ${target.containerId}`];
  const started = `started ${target.name} (${cause})`;
  try {
    await ctx.engine.start(target.containerId, { signal: ctx.signal });
    const state = await settledState(target, ctx);
    if (state.status === 'running') return { verified: true, done: [started], problems: [], manual: [] };
    return { verified: false, done: [started], problems: [`${target.name} is ${state.status} again after it was started`], manual };
  } catch (error) {
    if (isContainerGone(error)) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
    return { verified: false, done: [], problems: [`starting ${target.name} failed: ${messageOf(error)}`], manual };
  }
}
