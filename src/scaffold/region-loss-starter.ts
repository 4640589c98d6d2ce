import { joinWords } from '../playbook/did-you-mean.js';
import {
  entryService,
  header,
  idOr,
  probeWords,
  render,
  steadyState,
  strongestFirst,
  topology,
  uniqueProbes,
  waitStep,
  type StarterContext,
  type StarterOutcome,
  type StarterService,
} from './starter-common.js';
import type { LeftOut } from './left-out.js';
import { pronoun, sharingWords } from './namespace-sharing.js';
import { commented, folded, type YamlValue } from './yaml-text.js';

/** At most this many probes in the steady state: one per service of the region, after the survivor's. */
const MAX_STEADY_PROBES = 6;

/**
 * `region-<r>-loss.yaml`: every container of the region killed at once; the drill waits until
 * what is left (the entry point when it is outside the region, else the best-observed service
 * of another region) answers, and measures that time from the loss. firedrill's rollback then
 * starts the region again, and the steady state must return.
 */
export function regionLossStarter(ctx: StarterContext, region: string): StarterOutcome {
  const members = ctx.services.filter((entry) => entry.region === region);
  const survivors = ctx.services.filter((entry) => entry.region !== region);
  const name = `region-${region}-loss`;
  const leftOut: LeftOut[] = survivors.map((entry) => ({
    service: entry.service.name,
    reason: entry.region === undefined ? 'in no region' : `in region ${entry.region}`,
  }));
  if (members.length === 0) return { skipped: `region ${region} has no service`, leftOut };
  if (idOr(name, '') === '')
    return { skipped: `region "${region}" cannot name a playbook: "${name}" is longer than 63 characters`, leftOut };
  const memberNames = members.map((entry) => entry.service.name);
  const watched = survivorToWatch(ctx, new Set(memberNames), survivors);
  if (!watched) return { skipped: `region ${region} holds every service: no service would be left to observe while it is lost`, leftOut };
  const gentle = gentleModeBecause(members);

  const file = `${name}.yaml`;
  const sourceLine =
    ctx.regions.source.kind === 'labels'
      ? `Regions come from the ${ctx.regionLabel} labels in ${ctx.composeFileName}.`
      : 'The regions are a suggestion made from the service names: check topology.regions below.';
  const steady = uniqueProbes([watched, ...strongestFirst(members)]).slice(0, MAX_STEADY_PROBES);
  const playbook = {
    version: 1,
    name,
    title: `Losing region ${region}`,
    summary: folded(
      `Every service of region ${region} (${joinWords(memberNames)}) ${gentle.length > 0 ? 'freezes at once, as when its data centre stops answering' : 'stops at once, as in a power cut in its data centre'}. ` +
        `We measure how long it takes until ${watched.service.name} answers without it, and check ` +
        `that everything is back to normal once region ${region} is ${gentle.length > 0 ? 'running' : 'started'} again.`,
    ),
    topology: topology(ctx, true),
    objectives: {
      rto: commented('from the loss of the region until the last wait step held', '1m'),
    },
    steadyState: steadyState(
      steady,
      '2m',
      `Must hold before the drill, and again (within 2m) once firedrill has started region ${region} again.`,
    ),
    steps: [
      {
        name: `Lose region ${region}`,
        inject: {
          kind: 'region-loss',
          id: idOr(`region-${region}-down`, 'region-down'),
          region,
          mode: lossMode(gentle),
        },
      },
      waitStep(
        probeWords(watched, 'still'),
        watched.probe,
        { every: '500ms', consecutive: 2, timeout: '1m', rto: '30s' },
        `Measured from the loss of region ${region}.`,
      ),
    ],
    timeLimit: commented('the drill is aborted, and rolled back, past this', '5m'),
  };
  const about = [`Region ${region} (${joinWords(memberNames)}) is lost at once; ${watched.service.name} must keep answering.`, sourceLine];
  return {
    playbook: {
      file,
      content: render(header(ctx, file, about, leftOut), playbook),
      about: `loses region ${region} (${joinWords(memberNames)})`,
    },
    leftOut,
  };
}

/**
 * Why the region must be paused rather than killed: a service others share a network,
 * process or IPC namespace with (killed, it leaves them on a dead one), or one that holds
 * data in memory only, or on disk only at its snapshots (killed, it comes back empty or
 * behind, and its replicas follow it).
 */
function gentleModeBecause(members: StarterService[]): string[] {
  const reasons: string[] = [];
  for (const entry of members) {
    const { name } = entry.service;
    if (entry.namespaceDependants.length > 0) {
      reasons.push(
        `${sharingWords(name, entry.namespaceDependants, `${name}'s`)}: killed, ${name} would leave ${pronoun(entry.namespaceDependants)} on a dead one.`,
      );
    }
    if (entry.inMemoryData && entry.redis?.defaultSnapshots !== undefined) {
      reasons.push(
        `${name} may hold data (${entry.holdsData[0]}) that it writes to disk only at its snapshots: killed, it would come back without what it took since the last one.`,
      );
    } else if (entry.inMemoryData) {
      reasons.push(`${name} holds data in memory only (${entry.holdsData[0]}): killed, it would come back empty.`);
    }
  }
  return reasons;
}

function lossMode(gentle: string[]): YamlValue {
  if (gentle.length > 0) {
    return commented(
      ['pause: every container of the region is frozen at once, and nothing in it is lost. Not kill, because:', ...gentle],
      'pause',
    );
  }
  return commented(
    [
      'kill: SIGKILL to every container of the region at once. Also possible: stop, pause,',
      "or isolate (the containers keep running, cut off from the project's networks).",
    ],
    'kill',
  );
}

/**
 * What to watch while the region is down: the entry point when it lies outside the region,
 * else the best-observed service of another region, else any service outside it.
 */
function survivorToWatch(ctx: StarterContext, members: ReadonlySet<string>, survivors: StarterService[]): StarterService | undefined {
  const entry = entryService(ctx, members);
  if (entry) return entry;
  const ranked = strongestFirst(survivors);
  return ranked.find((survivor) => survivor.region !== undefined) ?? ranked[0];
}
