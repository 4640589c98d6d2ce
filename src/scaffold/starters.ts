import { UsageError } from '../errors.js';
import { cachePurgeStarter } from './cache-purge-starter.js';
import type { ScaffoldService } from './compose-services.js';
import { regionLossStarter } from './region-loss-starter.js';
import { suggestRegions, type RegionSuggestion } from './region-suggestions.js';
import { assessServices, type ServiceFiles } from './service-assessment.js';
import { serviceCrashStarter } from './service-crash-starter.js';
import type { StarterContext, StarterOutcome, StarterService } from './starter-common.js';

/**
 * Which starters to write for a compose model, and what each leaves out: a pure function of
 * the services and of what their files said, so that every judgement can be tested without
 * a project on disk.
 */

export interface StarterInput extends Omit<StarterContext, 'regions' | 'services'> {
  /** Every service of the compose model, in its order. */
  services: readonly ScaffoldService[];
  files: ReadonlyMap<string, ServiceFiles>;
  /** The user named the region label (--region-label): regions come from it alone. */
  regionLabelNamed: boolean;
  /** Services the user named caches (--cache). */
  caches: readonly string[];
}

export interface StarterResult {
  /** What the starter is, for "no …" notes: "cache-purge.yaml", "drill for region a". */
  what: string;
  outcome: StarterOutcome;
}

export interface StartersPlan {
  regions: RegionSuggestion;
  services: StarterService[];
  starters: StarterResult[];
  notes: string[];
}

export function planStarters(input: StarterInput): StartersPlan {
  const unknown = input.caches.filter((name) => !input.services.some((service) => service.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `--cache ${unknown.join(', ')}: no such service in ${input.composeFileName} (its services are ${input.services.map((service) => service.name).join(', ')})`,
    );
  }
  const notes: string[] = [];
  // A service behind a profile has no container after a plain `up`, nor one with no replica: no drill can target either.
  const behindProfiles = input.services.filter((service) => service.profiles.length > 0).map((service) => service.name);
  if (behindProfiles.length > 0)
    notes.push(`left out, as a plain \`docker compose up\` does not start them (profiles:): ${behindProfiles.join(', ')}`);
  const noReplica = input.services
    .filter((service) => service.profiles.length === 0 && service.replicas === 0)
    .map((service) => service.name);
  if (noReplica.length > 0) notes.push(`left out, as compose starts no container for them (deploy.replicas: 0): ${noReplica.join(', ')}`);
  const started = input.services.filter((service) => service.profiles.length === 0 && service.replicas !== 0);
  if (started.length === 0)
    throw new UsageError(
      `no service of ${input.composeFileName} is started by a plain \`docker compose up\` (profiles:, deploy.replicas: 0): there is nothing to drill`,
    );

  const regions = suggestRegions(started, input.regionLabel, input.regionLabelNamed);
  const regionOf = new Map<string, string>();
  for (const [region, names] of Object.entries(regions.regions)) for (const name of names) regionOf.set(name, region);
  // Targets come from the started services alone; what holds data is judged against them all.
  const services = assessServices(started, input.services, input.files, { regionOf, namedCaches: new Set(input.caches) });
  const ctx: StarterContext = { ...input, regions, services };

  if (regions.source.kind === 'none') notes.push(`no region drill: ${regions.source.reason}; ${regions.source.advice}`);
  for (const { region, reason } of regions.unusable) notes.push(`no drill for region ${JSON.stringify(region)}: ${reason}`);
  const starters: StarterResult[] = [
    ...Object.keys(regions.regions).map((region) => ({ what: `drill for region ${region}`, outcome: regionLossStarter(ctx, region) })),
    { what: 'service-crash.yaml', outcome: serviceCrashStarter(ctx) },
    { what: 'cache-purge.yaml', outcome: cachePurgeStarter(ctx) },
  ];
  notes.push(...endpointAdvice(services, starters));
  return { regions, services, starters, notes };
}

/** The probes written as TCP connections where an HTTP check would be better, in the starters that use them. */
function endpointAdvice(services: StarterService[], starters: StarterResult[]): string[] {
  const written = starters.flatMap(({ outcome }) => ('playbook' in outcome ? [outcome.playbook] : []));
  return services.flatMap((entry) => {
    const where = entry.probe.pointAtEndpoint;
    const name = entry.probe.spec.name;
    if (where === undefined || typeof name !== 'string') return [];
    const files = written
      .filter((playbook) => playbook.content.includes(`name: ${name}\n`) || playbook.content.includes(`name: "${name}"\n`))
      .map((playbook) => playbook.file);
    if (files.length === 0) return [];
    return [
      `${entry.service.name} is observed by a TCP connection to ${where} in ${files.join(', ')}: the compose file declares no HTTP health ` +
        `endpoint for it (a healthcheck that curls http://localhost:<port>/<path>) — point an http probe at a real endpoint for a stronger check`,
    ];
  });
}
