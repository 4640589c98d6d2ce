import { identifier } from '../spec/common.js';
import type { ScaffoldService } from './compose-services.js';
import { leftOutComment, type LeftOut } from './left-out.js';
import type { NamespaceDependant } from './namespace-sharing.js';
import type { RedisSetup } from './redis-setup.js';
import type { RegionSuggestion } from './region-suggestions.js';
import { byStrength, type ProbeStrength, type ServiceProbe } from './service-probes.js';
import type { Software } from './service-software.js';
import { commented, wrap, yamlLines, type YamlMap, type YamlValue } from './yaml-text.js';

/** What every starter playbook is written from. */
export interface StarterContext {
  project: string;
  /** The compose file as the playbooks name it: relative to the drills directory, with "/". */
  composeFileFromDrills: string;
  /** The compose file's name, for comments. */
  composeFileName: string;
  /** The drills directory relative to where commands are run (e.g. "drills"), for the comments. */
  drillsDir: string;
  /** The playbook JSON Schema, relative to the drills directory. */
  schemaFromDrills: string;
  /** The label regions are read from (topology.regionLabel, written when it is not firedrill.region). */
  regionLabel: string;
  regions: RegionSuggestion;
  services: StarterService[];
}

export interface StarterService {
  service: ScaffoldService;
  probe: ServiceProbe;
  /** What it runs, and what that was judged from. */
  software: Software;
  /** Every reason to believe it holds data a purge would destroy; empty when nothing says so. */
  holdsData: string[];
  /** Every sign that it is a cache (its name or role, a CACHE_… key naming it, its configuration); a redis without one is never emptied. */
  cacheSigns: string[];
  /** Why a SIGKILL would not be a crash of something stateless; undefined when it looks stateless. */
  statefulBecause?: string;
  /** proxy_cache_path directories found in its nginx configuration (only for a service that runs nginx). */
  nginxCaches: string[];
  region?: string;
  /** Services that run in its network, process or IPC namespace (`service:<it>`): stopping it cuts them off for good. */
  namespaceDependants: NamespaceDependant[];
  /** For a redis: how it is set up, and whether redis-cli inside it can authenticate. */
  redis?: RedisSetup & { authReady: boolean };
  /** The user named it a cache (--cache). */
  namedCache: boolean;
  /** It holds data in memory only: a kill would lose it. */
  inMemoryData: boolean;
}

export interface StarterPlaybook {
  /** File name inside the drills directory. */
  file: string;
  content: string;
  /** One line on what the drill does, for init's output. */
  about: string;
}

/** Each starter gives a playbook, or the reason it gave none; either way, the services it leaves out and why. */
export type StarterOutcome = ({ playbook: StarterPlaybook } | { skipped: string }) & { leftOut: LeftOut[] };

/** The comment block at the top of a starter: the schema line, what it is, how to use it. */
export function header(ctx: StarterContext, file: string, about: string[], leftOut: readonly LeftOut[] = []): string[] {
  const path = `${ctx.drillsDir}/${file}`;
  const commands = [
    `npx firedrill validate ${path}   checks it (no Docker needed)`,
    `npx firedrill plan ${path}       shows exactly what it would do (bring the project up first)`,
    `npx firedrill run ${path}        runs the drill`,
  ];
  return [
    `# yaml-language-server: $schema=${ctx.schemaFromDrills}`,
    '#',
    ...about.flatMap((paragraph) => wrap(paragraph, 92)).map((line) => `# ${line}`),
    '#',
    '# A starter written by `firedrill init` from the compose file alone. Its objectives are first',
    '# guesses: after a few runs, set them to what you promise (each report shows what was measured).',
    '#',
    ...commands.map((line) => `#   ${line}`),
    ...leftOutComment(leftOut),
  ];
}

/** The label a playbook reads regions from when it names none (topology.regionLabel's default). */
export const DEFAULT_REGION_LABEL = 'firedrill.region';

/** `topology:` naming the compose file and project; `regions:` only where the names suggested them. */
export function topology(ctx: StarterContext, withRegions: boolean): YamlMap {
  const { source, regions } = ctx.regions;
  const map: YamlMap = {
    composeFile: commented('relative to this file', ctx.composeFileFromDrills),
    project: commented('the compose project name (docker compose -p)', ctx.project),
  };
  if (withRegions && ctx.regionLabel !== DEFAULT_REGION_LABEL)
    map.regionLabel = commented('the service label that names regions', ctx.regionLabel);
  if (withRegions && source.kind === 'names') {
    map.regions = commented(
      `Suggested from the service names, by ${source.pattern}: check that these are your regions, ` +
        `or label the services with ${ctx.regionLabel} in ${ctx.composeFileName} and remove this mapping.`,
      { ...regions },
    );
  }
  return map;
}

function probeValue(probe: ServiceProbe): YamlValue {
  return commented(probe.basis, probe.spec);
}

export function steadyState(probes: ServiceProbe[], within: string, why: string): YamlValue {
  return commented(why, { within, every: '1s', probes: probes.map(probeValue) });
}

export interface WaitOptions {
  every: string;
  consecutive: number;
  timeout: string;
  rto: string;
  from?: string;
}

export function waitStep(name: string, probe: ServiceProbe, opts: WaitOptions, why?: string): YamlValue {
  const wait: YamlMap = {
    ...(opts.from ? { from: opts.from } : {}),
    probe: probeValue(probe),
    every: commented('the polling interval is also the resolution of the time measured', opts.every),
    consecutive: opts.consecutive,
    timeout: opts.timeout,
    rto: commented("this step's objective: a first guess", opts.rto),
  };
  const step: YamlMap = { name, wait };
  return why ? commented(why, step) : step;
}

export type ProbeMoment = 'still' | 'holds' | 'again';

/**
 * What holding means for each kind of probe, in words for a wait step's name: while a fault is
 * on and it should keep holding (`still`), plainly (`holds`), and once it is back (`again`).
 */
const PROBE_WORDS: Record<ProbeStrength, Record<ProbeMoment, string>> = {
  http: { still: 'still answers', holds: 'answers', again: 'answers again' },
  health: { still: 'is still healthy', holds: 'is healthy', again: 'is healthy again' },
  exec: { still: 'still answers PING', holds: 'answers PING', again: 'answers PING again' },
  tcp: { still: 'still accepts connections', holds: 'accepts connections', again: 'accepts connections again' },
  running: { still: 'is still running', holds: 'is running', again: 'runs again' },
};

/** "web still answers", "cache answers PING again": the service's name and what its probe holding means. */
export function probeWords(entry: StarterService, moment: ProbeMoment): string {
  return `${entry.service.name} ${PROBE_WORDS[entry.probe.strength][moment]}`;
}

/**
 * The service customers reach: one observed over HTTP, else one that publishes a port and runs
 * no data store; outside every region when there is such a one (an edge or gateway), else the
 * first in the file. Undefined when none fits.
 */
export function entryService(ctx: StarterContext, except: ReadonlySet<string> = new Set()): StarterService | undefined {
  const usable = ctx.services.filter((entry) => !except.has(entry.service.name));
  const http = usable.filter((entry) => entry.probe.strength === 'http');
  const published = usable.filter((entry) => entry.probe.strength === 'tcp' && entry.probe.pointAtEndpoint !== undefined);
  for (const candidates of [http, published]) {
    const found = candidates.find((entry) => entry.region === undefined) ?? candidates[0];
    if (found) return found;
  }
  return undefined;
}

/** The best-observed services first; among equals, the file's order. */
export function strongestFirst(entries: StarterService[]): StarterService[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => byStrength(a.entry.probe, b.entry.probe) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** `preferred` when it is a valid playbook identifier (names and fault ids are at most 63 characters), else `fallback`. */
export function idOr(preferred: string, fallback: string): string {
  return identifier.safeParse(preferred).success ? preferred : fallback;
}

/** Distinct probes (by service), in order. */
export function uniqueProbes(entries: (StarterService | undefined)[]): ServiceProbe[] {
  const seen = new Set<string>();
  const probes: ServiceProbe[] = [];
  for (const entry of entries) {
    if (!entry || seen.has(entry.service.name)) continue;
    seen.add(entry.service.name);
    probes.push(entry.probe);
  }
  return probes;
}

export function render(headerLines: string[], playbook: YamlMap): string {
  return `${[...headerLines, ...yamlLines(playbook)].join('\n')}\n`;
}
