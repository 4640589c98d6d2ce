import { isDefaultFaultRef } from '../faults/fault-common.js';
import { identifier } from '../spec/common.js';
import { regionsFromLabels, type ComposeFile } from './compose-file.js';
import { didYouMean, listNames } from './did-you-mean.js';
import { echo, quoted } from '../words/input-text.js';
import { formatPath, pathPrefix, type PathIssue, type YamlPath } from '../yaml/positions.js';
import { playbookSchema } from './schema.js';
import { validAt, valueAt } from './schema-shape.js';

/**
 * Checks what the schema cannot: names that refer to other things. Fault ids are unique, not
 * of the form id-less faults are named by ("step-<n>"), and referred to only after the step
 * that injects them; with a compose file at hand, every service and region a playbook names
 * exists. Pure: the compose file is read by the caller.
 *
 * It reads the playbook as parsed from YAML, before (and whatever) the schema says: a name
 * is checked wherever it is valid where it stands, so one run reports the schema's issues
 * and the references of every part that parsed.
 */

/** What a compose file (plus the playbook's own region mapping) says exists. */
export interface KnownTopology {
  services: readonly string[];
  /** Region → services; undefined when the regions cannot be known (the region label is invalid). */
  regions?: Record<string, string[]>;
  /** The label regions are read from, for messages. */
  regionLabel: string;
}

export function knownTopology(compose: ComposeFile, data: unknown): KnownTopology {
  const services = compose.services.map((service) => service.name);
  const label = validAt(playbookSchema, data, ['topology', 'regionLabel'])?.value;
  if (typeof label !== 'string') return { services, regionLabel: echo(String(valueAt(data, ['topology', 'regionLabel']))) };
  // A region the playbook lists is known even when the list itself has a problem (reported by the schema).
  const listed = valueAt(data, ['topology', 'regions']);
  const fromPlaybook = isMapping(listed)
    ? Object.fromEntries(
        Object.entries(listed).map(([region, names]) => [
          region,
          Array.isArray(names) ? names.filter((name) => typeof name === 'string') : [],
        ]),
      )
    : {};
  return { services, regions: { ...regionsFromLabels(compose.services, label), ...fromPlaybook }, regionLabel: label };
}

/** `data` is the playbook as parsed from YAML (any shape). */
export function checkReferences(data: unknown, known?: KnownTopology): PathIssue[] {
  const steps = placedSteps(data);
  return [
    ...checkRestoreSteps(data),
    ...checkFaultIds(data, steps),
    ...checkStopConditionNames(data),
    ...(known ? checkTargets(data, steps, known) : []),
  ];
}

/** Restore steps run after the rollback: a fault injected there would never be reverted. */
function checkRestoreSteps(data: unknown): PathIssue[] {
  return items(valueAt(data, ['restore'])).flatMap((step, index) => {
    if (valueAt(step, ['inject']) === undefined) return [];
    const path = ['restore', index, 'inject'];
    return [
      {
        path,
        message: `${pathPrefix(path)}a restore step cannot inject a fault: restore runs after the rollback, so nothing would revert it`,
        hint: 'inject faults in steps',
      },
    ];
  });
}

/** Reports and the terminal name a breached stop condition: names must tell them apart. */
function checkStopConditionNames(data: unknown): PathIssue[] {
  const firstAt = new Map<string, number>();
  const issues: PathIssue[] = [];
  items(valueAt(data, ['stopConditions'])).forEach((_, index) => {
    const path = ['stopConditions', index, 'name'];
    const name = validString(data, path);
    if (name === undefined) return;
    const earlier = firstAt.get(name);
    if (earlier === undefined) firstAt.set(name, index);
    else
      issues.push({
        path,
        message: `${pathPrefix(path)}stop condition name ${quoted(name)} is already used by stopConditions[${earlier}]`,
        hint: 'stop condition names must be unique',
      });
  });
  return issues;
}

interface PlacedStep {
  path: YamlPath;
  /** The step's name when it has a usable one, for messages. */
  name?: string;
}

/** Steps in the order they run: the drill's steps, then its restore steps. */
function placedSteps(data: unknown): PlacedStep[] {
  return (['steps', 'restore'] as const).flatMap((list) =>
    items(valueAt(data, [list])).map((step, index) => {
      const name = valueAt(step, ['name']);
      return typeof name === 'string' ? { path: [list, index], name } : { path: [list, index] };
    }),
  );
}

function stepLabel(placed: PlacedStep): string {
  return placed.name === undefined ? formatPath(placed.path) : `${formatPath(placed.path)} (${quoted(placed.name)})`;
}

function checkFaultIds(data: unknown, steps: PlacedStep[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const injectedBy = new Map<string, number>();
  steps.forEach((placed, index) => {
    const path = [...placed.path, 'inject', 'id'];
    // Every fault kind takes the same optional id; it counts even when the rest of its inject has problems.
    const parsed = identifier.safeParse(valueAt(data, path));
    if (!parsed.success) return;
    const id = parsed.data;
    // Refs key the rollback, the journal and the marks a fault leaves: one fault, one ref.
    if (isDefaultFaultRef(id)) {
      issues.push({
        path,
        message: `${pathPrefix(path)}fault id ${quoted(id)} is reserved: a fault without an id is called "step-<n>" after its step`,
        hint: 'choose another id',
      });
      return;
    }
    const earlier = injectedBy.get(id);
    if (earlier === undefined) injectedBy.set(id, index);
    else
      issues.push({
        path,
        message: `${pathPrefix(path)}fault id ${quoted(id)} is already used by ${stepLabel(steps[earlier]!)}`,
        hint: 'fault ids must be unique',
      });
  });
  steps.forEach((placed, index) => {
    for (const path of [
      [...placed.path, 'wait', 'from'],
      [...placed.path, 'run', 'fault'],
    ]) {
      const id = validString(data, path);
      if (id !== undefined) issues.push(...checkFaultReference(path, id, index, steps, injectedBy));
    }
  });
  return issues;
}

function checkFaultReference(path: YamlPath, id: string, index: number, steps: PlacedStep[], injectedBy: Map<string, number>): PathIssue[] {
  const injectedAt = injectedBy.get(id);
  if (injectedAt !== undefined && injectedAt < index) return [];
  const prefix = pathPrefix(path);
  if (injectedAt !== undefined) {
    return [
      {
        path,
        message: `${prefix}fault ${quoted(id)} is injected later, by ${stepLabel(steps[injectedAt]!)}`,
        hint: 'a step can only refer to a fault injected before it',
      },
    ];
  }
  const earlierIds = [...injectedBy].filter(([, at]) => at < index).map(([name]) => name);
  const hint =
    didYouMean(id, earlierIds) ??
    (earlierIds.length > 0
      ? `faults injected before this step: ${listNames(earlierIds)}`
      : 'give an earlier inject step an "id" and use it here');
  return [{ path, message: `${prefix}no earlier step injects a fault with id ${quoted(id)}`, hint }];
}

interface NamedTarget {
  path: YamlPath;
  name: string;
}

function checkTargets(data: unknown, steps: PlacedStep[], known: KnownTopology): PathIssue[] {
  const { services, regions } = targetsNamed(data, steps);
  const serviceNames = new Set(known.services);
  const serviceIssues = services
    .filter((target) => !serviceNames.has(target.name))
    .map((target) => ({
      path: target.path,
      message: `${pathPrefix(target.path)}service ${quoted(target.name)} is not defined in the compose file`,
      hint: didYouMean(target.name, known.services) ?? `its services are ${listNames(known.services)}`,
    }));
  if (!known.regions) return serviceIssues;
  const knownRegions = Object.keys(known.regions);
  const label = echo(known.regionLabel);
  const regionIssues = regions
    .filter((target) => !Object.hasOwn(known.regions!, target.name))
    .map((target) => ({
      path: target.path,
      message: `${pathPrefix(target.path)}region ${quoted(target.name)} is unknown: no service has the label ${label}=${echo(target.name)} and topology.regions does not list it`,
      hint:
        didYouMean(target.name, knownRegions) ??
        (knownRegions.length > 0
          ? `known regions are ${listNames(knownRegions)}`
          : `label services with ${quoted(known.regionLabel)} in the compose file, or list them under topology.regions`),
    }));
  return [...serviceIssues, ...regionIssues];
}

/** Every service and region the playbook names where the name itself is valid, each with its path. */
function targetsNamed(data: unknown, steps: PlacedStep[]): { services: NamedTarget[]; regions: NamedTarget[] } {
  const services: NamedTarget[] = [];
  const regions: NamedTarget[] = [];
  const named = (into: NamedTarget[], path: YamlPath) => {
    const name = validString(data, path);
    if (name !== undefined) into.push({ path, name });
  };
  const service = (path: YamlPath) => named(services, path);
  const serviceList = (path: YamlPath) => items(valueAt(data, path)).forEach((_, index) => service([...path, index]));

  const listed = valueAt(data, ['topology', 'regions']);
  if (isMapping(listed)) for (const region of Object.keys(listed)) serviceList(['topology', 'regions', region]);
  items(valueAt(data, ['steadyState', 'probes'])).forEach((_, index) => service(['steadyState', 'probes', index, 'service']));
  items(valueAt(data, ['stopConditions'])).forEach((_, index) => service(['stopConditions', index, 'probe', 'service']));
  for (const { path } of steps) {
    service([...path, 'inject', 'service']);
    named(regions, [...path, 'inject', 'region']);
    items(valueAt(data, [...path, 'inject', 'between'])).forEach((_, side) => serviceList([...path, 'inject', 'between', side]));
    serviceList([...path, 'inject', 'from']);
    service([...path, 'wait', 'probe', 'service']);
    service([...path, 'run', 'service']);
  }
  return { services, regions };
}

/** A name written at `path` that is valid there; names are strings, so nothing else is looked at twice. */
function validString(data: unknown, path: YamlPath): string | undefined {
  if (typeof valueAt(data, path) !== 'string') return undefined;
  const found = validAt(playbookSchema, data, path)?.value;
  return typeof found === 'string' ? found : undefined;
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
