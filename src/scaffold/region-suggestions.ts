import { identifier } from '../spec/common.js';
import { regionsFromLabels, type ComposeService } from '../playbook/compose-file.js';

/**
 * Regions for the starter playbooks. The compose file's region labels are the truth when
 * there are any (`firedrill.region`, or the label the user names with --region-label).
 * Otherwise, unless the user named a label or the services carry one that looks like a region
 * label (`exchange.zone`, `topology.kubernetes.io/zone`), names that follow a pattern
 * (app-a/app-b, web_east/web_west, api-1/api-2) give a suggestion, which the playbook writes
 * as `topology.regions` and calls a suggestion. Otherwise there are no regions, and the
 * result says why and what to do.
 */

export type RegionSource =
  | { kind: 'labels'; label: string }
  | { kind: 'names'; pattern: string }
  | { kind: 'none'; reason: string; advice: string };

export interface RegionSuggestion {
  source: RegionSource;
  /** Region → services, regions and services in a stable order. */
  regions: Record<string, string[]>;
  /** Regions that cannot be used in a playbook, each with the reason. */
  unusable: { region: string; reason: string }[];
}

interface SuffixFamily {
  /** How the pattern is described to people. */
  pattern: string;
  matches(suffix: string): boolean;
}

/** Families of name suffixes that mean "which copy": tried in this order when several fit equally. */
const FAMILIES: SuffixFamily[] = [
  { pattern: 'a letter suffix (-a, -b)', matches: (suffix) => /^[a-z]$/i.test(suffix) },
  {
    pattern: 'a compass or geography suffix (_east, _west)',
    matches: (suffix) => /^(east|west|north|south|central|eu|us|uk|ap|apac|asia|emea|amer|americas|europe)$/i.test(suffix),
  },
  { pattern: 'a zone or site suffix (-dc1, -dc2)', matches: (suffix) => /^(dc|az|zone|site|region|rg)[-_]?\d+$/i.test(suffix) },
  { pattern: 'a number suffix (-1, -2)', matches: (suffix) => /^\d{1,3}$/.test(suffix) },
];

/** The last part of a label key that says "region": region, zone, az, datacenter, site … */
const REGION_LIKE = /(^|[./])(region|zone|az|availability[-_]?zone|data[-_]?cent(er|re)|dc|site|location|failure[-_]?domain)$/i;

/** `named`: the user gave the label (--region-label), so it alone may say where regions are. */
export function suggestRegions(services: readonly ComposeService[], label: string, named = false): RegionSuggestion {
  const labelled = regionsFromLabels(services, label);
  if (Object.keys(labelled).length > 0) return withUsability({ kind: 'labels', label }, labelled);
  if (named) {
    return none(
      `no service has the label ${label} given with --region-label`,
      `label services with ${label}=<region>, or name another label with --region-label`,
    );
  }
  const lookalikes = [...new Set(services.flatMap((service) => Object.keys(service.labels)).filter((key) => REGION_LIKE.test(key)))];
  if (lookalikes.length > 0) {
    return none(
      `no service has the label ${label}, and ${lookalikes.map((key) => `"${key}"`).join(', ')} may name the regions: regions are not guessed from service names while a label may give them`,
      `run firedrill init --region-label ${lookalikes[0]} to take the regions from it`,
    );
  }

  const best = FAMILIES.map((family) => ({ family, regions: regionsByFamily(services, family) }))
    .filter(({ regions }) => Object.keys(regions).length >= 2)
    .sort((a, b) => covered(b.regions) - covered(a.regions))[0];
  if (best) return withUsability({ kind: 'names', pattern: best.family.pattern }, best.regions);

  return none(
    `no service has the label ${label}, and no service names follow a pattern that suggests regions (app-a/app-b, web_east/web_west, api-1/api-2)`,
    `label services with ${label}=<region>, or name your region label with --region-label`,
  );
}

function none(reason: string, advice: string): RegionSuggestion {
  return { source: { kind: 'none', reason, advice }, regions: {}, unusable: [] };
}

/**
 * Services grouped by a suffix of the family. A pattern only counts when it repeats: at least
 * one stem (the name before the suffix) must come in two or more of the family's suffixes,
 * so a lone "redis-7" or "python-3" suggests nothing.
 */
function regionsByFamily(services: readonly ComposeService[], family: SuffixFamily): Record<string, string[]> {
  const stems = new Map<string, Set<string>>();
  const regions = new Map<string, string[]>();
  for (const service of services) {
    const split = splitSuffix(service.name, family);
    if (!split) continue;
    const { stem, suffix } = split;
    const region = suffix.toLowerCase().replace(/_/g, '-');
    stems.set(stem, (stems.get(stem) ?? new Set()).add(region));
    regions.set(region, [...(regions.get(region) ?? []), service.name]);
  }
  const repeated = [...stems.values()].some((suffixes) => suffixes.size >= 2);
  if (!repeated) return {};
  return Object.fromEntries(regions);
}

/** "my-api-1" → my-api + 1; "db-dc-2" → db + dc-2 (a suffix may be two parts: zone names). */
function splitSuffix(name: string, family: SuffixFamily): { stem: string; suffix: string } | undefined {
  for (const pattern of [/^(.+)[-_]([^-_]+)$/, /^(.+)[-_]([^-_]+[-_][^-_]+)$/]) {
    const match = pattern.exec(name);
    if (match && family.matches(match[2]!)) return { stem: match[1]!, suffix: match[2]! };
  }
  return undefined;
}

function covered(regions: Record<string, string[]>): number {
  return Object.values(regions).reduce((sum, names) => sum + names.length, 0);
}

/** A region name must be a playbook identifier to be used; the others are listed with why. */
function withUsability(source: RegionSource, regions: Record<string, string[]>): RegionSuggestion {
  const usable: Record<string, string[]> = {};
  const unusable: { region: string; reason: string }[] = [];
  for (const region of Object.keys(regions).sort()) {
    if (identifier.safeParse(region).success) usable[region] = [...regions[region]!];
    else
      unusable.push({
        region,
        reason: `"${region}" is not a region name a playbook accepts (letters, digits, "-", "_" or ".", at most 63 characters)`,
      });
  }
  return { source, regions: usable, unusable };
}
