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

/**
 * `service-crash.yaml`: one stateless-looking service is killed, started again by the drill
 * (as an operator or a supervisor would), and the time until it answers again is measured
 * from the crash. When the service has a twin in another region and customers have an entry
 * point, the drill also checks that the entry point keeps answering meanwhile.
 */
export function serviceCrashStarter(ctx: StarterContext): StarterOutcome {
  const target = crashTarget(ctx);
  if (!target) {
    return {
      skipped: 'no service can be crashed as a stateless one, and crashing a data store is a drill to design by hand',
      leftOut: ctx.services.map((entry) => ({ service: entry.service.name, reason: notCrashable(entry) ?? 'not crashable' })),
    };
  }
  const name = target.service.name;
  const faultId = idOr(`${name}-crash`, 'service-crash');
  const entry = entryService(ctx, new Set([name]));
  const redundant = target.region !== undefined && Object.keys(ctx.regions.regions).length >= 2;
  const file = 'service-crash.yaml';

  const steps: YamlValue[] = [
    { name: `Crash ${name}`, inject: { kind: 'service', id: faultId, service: name, mode: 'kill', signal: 'SIGKILL' } },
  ];
  if (entry && redundant) {
    steps.push(
      waitStep(
        probeWords(entry, 'still'),
        entry.probe,
        { every: '500ms', consecutive: 2, timeout: '1m', rto: '30s' },
        `Region ${target.region} has lost ${name}: the other region should serve meanwhile.`,
      ),
    );
  }
  steps.push(
    commented(
      [
        'Docker does not restart a container killed through its API, whatever its restart policy',
        '(it counts as stopped by hand): starting it is the recovery this drill times.',
      ],
      { name: `Start ${name} again`, run: { kind: 'start', service: name } },
    ),
    waitStep(
      probeWords(target, 'again'),
      target.probe,
      { every: '500ms', consecutive: 2, timeout: '3m', rto: '1m', from: faultId },
      'Measured from the crash.',
    ),
  );

  const playbook = {
    version: 1,
    name: 'service-crash',
    title: `${name} crashes`,
    summary: folded(
      `${name} stops abruptly, as after a crash, and is started again. We measure how long it takes, from the ` +
        `crash, until it ${target.probe.strength === 'running' ? 'runs' : 'answers'} again${entry && redundant ? `, and check that ${entry.service.name} keeps answering meanwhile` : ''}.`,
    ),
    topology: topology(ctx, false),
    objectives: { rto: commented('from the crash until the last wait step held', '2m') },
    steadyState: steadyState(uniqueProbes([entry, target]), '2m', 'Must hold before the drill, and again (within 2m) after it.'),
    steps,
    timeLimit: commented('the drill is aborted, and rolled back, past this', '10m'),
  };
  const why = `it looks stateless (it runs no database or data store, nothing names it as one, and it writes to no volume)${redundant ? ` and region ${target.region} is not the only region` : ''}`;
  const about = [`${name} crashes (SIGKILL) and is started again. It was chosen because ${why}.`];
  const observed = new Set(entry ? [entry.service.name] : []);
  const leftOut: LeftOut[] = ctx.services
    .filter((other) => other !== target)
    .map((other) => ({
      service: other.service.name,
      reason:
        notCrashable(other) ??
        (observed.has(other.service.name)
          ? 'observed by the drill, not crashed'
          : `one crash per drill, and ${name} was chosen: copy this starter to crash ${other.service.name}`),
    }));
  return {
    playbook: { file, content: render(header(ctx, file, about, leftOut), playbook), about: `crashes ${name} and times its return` },
    leftOut,
  };
}

/** Why a service must not be the target of a stateless crash; undefined when it may. */
function notCrashable(entry: StarterService): string | undefined {
  if (entry.statefulBecause !== undefined) return `not stateless: ${entry.statefulBecause}`;
  const dependants = entry.namespaceDependants;
  if (dependants.length > 0)
    return `${sharingWords(entry.service.name, dependants, 'its')}: a crash would leave ${pronoun(dependants)} on a dead one until restarted`;
  return undefined;
}

/**
 * The stateless service worth crashing: one in a region when there are several regions (its
 * twin should take over), then the best observed, then the first in the file.
 */
function crashTarget(ctx: StarterContext): StarterService | undefined {
  const stateless = strongestFirst(ctx.services.filter((entry) => notCrashable(entry) === undefined));
  const manyRegions = Object.keys(ctx.regions.regions).length >= 2;
  return (manyRegions ? stateless.find((entry) => entry.region !== undefined) : undefined) ?? stateless[0];
}
