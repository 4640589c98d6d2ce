import { z } from 'zod';
import { serviceName, signalName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import { applyMode, applyToAll, pinRunning, planMode } from './mechanisms/container-modes.js';
import { restoreTargets } from './mechanisms/container-restore.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault } from './fault.js';

export const serviceFaultSchema = z.strictObject({
  kind: z.literal('service'),
  ...faultCommonFields,
  service: serviceName,
  mode: z.enum(['kill', 'stop', 'pause', 'restart']).default('kill'),
  signal: signalName.default('SIGKILL'),
});
export type ServiceFaultSpec = z.output<typeof serviceFaultSchema>;

const VERB: Record<ServiceFaultSpec['mode'], (spec: ServiceFaultSpec) => string> = {
  kill: (spec) => `kill every container of service ${spec.service} with ${spec.signal}`,
  stop: (spec) => `stop every container of service ${spec.service}`,
  pause: (spec) => `pause every container of service ${spec.service}`,
  restart: (spec) => `restart every container of service ${spec.service}`,
};

/**
 * Kills, stops, pauses or restarts every container of one service, in parallel.
 * A restart undoes itself; its revert only makes sure each container runs again.
 */
export const serviceFault: Fault<ServiceFaultSpec, typeof serviceFaultSchema> = {
  kind: 'service',
  schema: serviceFaultSchema,
  revertible: true,

  describe: (spec) => VERB[spec.mode](spec),

  targets: (spec, topology) => pinRunning(serviceContainers(topology, spec.service), topology, `${spec.mode} of service "${spec.service}"`),

  plan: (record) => record.targets.map((target) => planMode(record.spec.mode, target, record.spec.signal)),

  inject: (record, ctx) =>
    applyToAll(record.targets, `${record.spec.mode} of service ${record.spec.service}`, (target) =>
      applyMode(record.spec.mode, target, record.spec.signal, ctx),
    ),

  revert: (record, ctx) => restoreTargets(record.targets, ctx),
};
