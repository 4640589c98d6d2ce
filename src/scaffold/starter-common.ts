import { identifier } from '../playbook/common.js';
import type { ScaffoldService } from './compose-services.js';
import type { RegionSuggestion } from './region-suggestions.js';
import { byStrength, type ServiceProbe } from './service-probes.js';
import type { Software } from './service-traits.js';
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
  regionLabel: string;
  regions: RegionSuggestion;
  services: StarterService[];
}

export interface StarterService {
  service: ScaffoldService;
  probe: ServiceProbe;
  software: Software;
  /** Why it keeps state; undefined when it looks stateless. */
  statefulBecause?: string;
  /** proxy_cache_path directories found in its nginx configuration. */
  nginxCaches: string[];
  region?: string;
}

export interface StarterPlaybook {
  /** File name inside the drills directory. */
  file: string;
  content: string;
  /** One line on what the drill does, for init's output. */
  about: string;
}

/** Each starter gives a playbook, or the reason it gave none. */
export type StarterOutcome = { playbook: StarterPlaybook } | { skipped: string };

/** The comment block at the top of a starter: the schema line, what it is, how to use it. */
export function header(ctx: StarterContext, file: string, about: string[]): string[] {
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
  ];
}

/** `topology:` naming the compose file and project; `regions:` only where the names suggested them. */
export function topology(ctx: StarterContext, withRegions: boolean): YamlMap {
  const { source, regions } = ctx.regions;
  const map: YamlMap = {
    composeFile: commented('relative to this file', ctx.composeFileFromDrills),
    project: commented('the compose project name (docker compose -p)', ctx.project),
  };
  if (withRegions && source.kind === 'names') {
    map.regions = commented(
      `Suggested from the service names, by ${source.pattern}: check that these are your regions, ` +
        `or label the services with ${ctx.regionLabel} in ${ctx.composeFileName} and remove this mapping.`,
      Object.fromEntries(Object.entries(regions).map(([region, services]) => [region, services])),
    );
  }
  return map;
}

export function probeValue(probe: ServiceProbe): YamlValue {
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
    rto: commented('this step\'s objective: a first guess', opts.rto),
  };
  const step: YamlMap = { name, wait };
  return why ? commented(why, step) : step;
}

/** A wait step's name that says what holding means for this kind of probe. */
export function stillWords(entry: StarterService): string {
  const name = entry.service.name;
  switch (entry.probe.strength) {
    case 'http':
      return `${name} still answers`;
    case 'health':
      return `${name} is still healthy`;
    case 'exec':
      return `${name} still answers PING`;
    case 'tcp':
      return `${name} still accepts connections`;
    case 'running':
      return `${name} is still running`;
  }
}

export function holdsWords(entry: StarterService): string {
  const name = entry.service.name;
  switch (entry.probe.strength) {
    case 'http':
      return `${name} answers`;
    case 'health':
      return `${name} is healthy`;
    case 'exec':
      return `${name} answers PING`;
    case 'tcp':
      return `${name} accepts connections`;
    case 'running':
      return `${name} is running`;
  }
}

export function againWords(entry: StarterService): string {
  const name = entry.service.name;
  switch (entry.probe.strength) {
    case 'http':
      return `${name} answers again`;
    case 'health':
      return `${name} is healthy again`;
    case 'exec':
      return `${name} answers PING again`;
    case 'tcp':
      return `${name} accepts connections again`;
    case 'running':
      return `${name} runs again`;
  }
}

/**
 * The service customers reach: one with an HTTP probe, outside every region when there is
 * such a one (an edge or gateway), else the first in the file. Undefined when none publishes HTTP.
 */
export function entryService(ctx: StarterContext, except: ReadonlySet<string> = new Set()): StarterService | undefined {
  const candidates = ctx.services.filter((entry) => entry.probe.strength === 'http' && !except.has(entry.service.name));
  return candidates.find((entry) => entry.region === undefined) ?? candidates[0];
}

/** The best-observed services first; among equals, the file's order. */
export function strongestFirst(entries: StarterService[]): StarterService[] {
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => byStrength(a.entry.probe, b.entry.probe) || a.index - b.index).map(({ entry }) => entry);
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

export function listWords(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function render(headerLines: string[], playbook: YamlMap): string {
  return `${[...headerLines, ...yamlLines(playbook)].join('\n')}\n`;
}
