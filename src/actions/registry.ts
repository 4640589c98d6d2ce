import type { z } from 'zod';
import { InternalError } from '../errors.js';
import type { Action, ActionContext, ActionResult } from './action.js';
import { execAction } from './exec.js';
import { hostAction } from './host.js';
import type { RevertActionSpec } from './revert.js';
import { restartServiceAction, startServiceAction } from './service-lifecycle.js';

/**
 * Every action kind the registry carries out; `revert` is the runner's (it owns the rollback
 * ledger). spec-schema.ts builds the union of actions from this list, in this order, then
 * revert: adding a kind is its file and one line here.
 */
export const actionRegistry = [execAction, hostAction, startServiceAction, restartServiceAction] as const;

/** The spec of any registered action: ActionSpec but revert (spec-schema.ts builds it from this list). */
export type RegisteredActionSpec = z.output<(typeof actionRegistry)[number]['schema']>;
type AnyActionSpec = RegisteredActionSpec | RevertActionSpec;

const actionsByKind: ReadonlyMap<string, Action<RegisteredActionSpec>> = new Map(
  // The map forgets which spec each action takes; a spec's own kind finds the action made for it.
  actionRegistry.map((action) => [action.kind, action]),
);

function actionFor(spec: AnyActionSpec): Action<RegisteredActionSpec> {
  if (spec.kind === 'revert') {
    throw new InternalError(`revert of fault "${spec.fault}" reached the action registry; the runner must carry out reverts`);
  }
  const action = actionsByKind.get(spec.kind);
  if (!action) {
    throw new InternalError(`no action is registered for kind "${String(spec.kind)}"; add it to src/actions/registry.ts`);
  }
  return action;
}

/** Runs a recovery or restore action. Throws InternalError for `revert`, which is not an action. */
export async function runAction(spec: AnyActionSpec, ctx: ActionContext): Promise<ActionResult> {
  const action = actionFor(spec);
  return action.run(spec as RegisteredActionSpec, ctx);
}

/** One line for people. Throws InternalError for `revert`, which the runner describes itself. */
export function describeAction(spec: AnyActionSpec): string {
  return actionFor(spec).describe(spec as RegisteredActionSpec);
}
