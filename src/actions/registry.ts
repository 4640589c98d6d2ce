import { InternalError } from '../errors.js';
import type { Action, ActionContext, ActionResult } from './action.js';
import { execAction, type ExecActionSpec } from './exec.js';
import { hostAction, type HostActionSpec } from './host.js';
import { restartServiceAction, type ServiceLifecycleActionSpec, startServiceAction } from './service-lifecycle.js';
import type { ActionSpec } from './spec-schema.js';

/** Every action kind the registry carries out; `revert` is the runner's (it owns the rollback ledger). */
export type RegisteredActionSpec = Exclude<ActionSpec, { kind: 'revert' }>;

/** Keep in step with spec-schema.ts (every kind but revert). */
export const actionRegistry: {
  readonly exec: Action<ExecActionSpec>;
  readonly host: Action<HostActionSpec>;
  readonly start: Action<ServiceLifecycleActionSpec>;
  readonly restart: Action<ServiceLifecycleActionSpec>;
} = {
  exec: execAction,
  host: hostAction,
  start: startServiceAction,
  restart: restartServiceAction,
};

function actionFor(spec: ActionSpec): Action<RegisteredActionSpec> {
  if (spec.kind === 'revert') {
    throw new InternalError(`revert of fault "${spec.fault}" reached the action registry; the runner must carry out reverts`);
  }
  // Each key is paired with its own spec type above; TypeScript cannot follow that through a union.
  const action = actionRegistry[spec.kind] as Action<RegisteredActionSpec> | undefined;
  if (!action) {
    throw new InternalError(`no action is registered for kind "${String(spec.kind)}"; add it to src/actions/registry.ts`);
  }
  return action;
}

/** Runs a recovery or restore action. Throws InternalError for `revert`, which is not an action. */
export async function runAction(spec: ActionSpec, ctx: ActionContext): Promise<ActionResult> {
  const action = actionFor(spec);
  return action.run(spec as RegisteredActionSpec, ctx);
}

/** One line for people. Throws InternalError for `revert`, which the runner describes itself. */
export function describeAction(spec: ActionSpec): string {
  return actionFor(spec).describe(spec as RegisteredActionSpec);
}
