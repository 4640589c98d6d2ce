import { z } from 'zod';
import { identifier } from '../spec/common.js';
import { signalName } from '../spec/common.js';
import { regionContainers } from '../topology/topology.js';
import { applyMode, applyToAll, pinRunning, planMode, withProjectNetworks } from './mechanisms/container-modes.js';
import { restoreTargets } from './mechanisms/container-restore.js';
import { recordEndpoints } from './mechanisms/isolate-endpoints.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault } from './fault.js';

export const regionLossSchema = z.strictObject({
  kind: z.literal('region-loss'),
  ...faultCommonFields,
  region: identifier,
  /** kill and stop end the containers; pause freezes them; isolate cuts them off the project's networks. */
  mode: z.enum(['kill', 'stop', 'pause', 'isolate']).default('kill'),
  signal: signalName.default('SIGKILL'),
});
export type RegionLossSpec = z.output<typeof regionLossSchema>;

const VERB: Record<RegionLossSpec['mode'], (spec: RegionLossSpec) => string> = {
  kill: (spec) => `kill every container of region ${spec.region} with ${spec.signal}`,
  stop: (spec) => `stop every container of region ${spec.region}`,
  pause: (spec) => `pause every container of region ${spec.region}`,
  isolate: (spec) => `cut every container of region ${spec.region} off the project's networks`,
};

/**
 * Loses a whole region at once: every container of every service in the region, in parallel.
 * Revert brings each one back to running and, after `isolate`, onto its networks with the
 * aliases and addresses it had, in its interfaces' order, then checks all of it by inspecting
 * the containers again; what the engine could not give back is reported as a difference.
 */
export const regionLoss: Fault<RegionLossSpec, typeof regionLossSchema> = {
  kind: 'region-loss',
  schema: regionLossSchema,
  revertible: true,

  describe: (spec) => VERB[spec.mode](spec),

  // Isolate reads each container's interface names from inside its network namespace.
  usesHelper: (spec) => spec.mode === 'isolate',

  targets(spec, topology) {
    const containers = regionContainers(topology, spec.region);
    const targets = pinRunning(containers, topology, `region-loss of region "${spec.region}"`);
    return spec.mode === 'isolate' ? withProjectNetworks(targets, containers, topology) : targets;
  },

  preflight: (record, ctx) => (record.spec.mode === 'isolate' ? recordEndpoints(record, ctx) : Promise.resolve()),

  plan: (record) => record.targets.map((target) => planMode(record.spec.mode, target, record.spec.signal)),

  inject: (record, ctx) =>
    applyToAll(record.targets, `region-loss (${record.spec.mode}) of region ${record.spec.region}`, (target) =>
      applyMode(record.spec.mode, target, record.spec.signal, ctx),
    ),

  revert: (record, ctx) => restoreTargets(record.targets, ctx, record),
};
