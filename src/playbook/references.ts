import { isDefaultFaultRef } from '../faults/fault-common.js';
import { regionsFromLabels, type ComposeFile } from './compose-file.js';
import { didYouMean, listNames } from './did-you-mean.js';
import { formatPath, pathPrefix, type PathIssue, type YamlPath } from './positions.js';
import type { Playbook, Step } from './schema.js';

/**
 * Checks what the schema cannot: names that refer to other things. Fault ids are unique, not
 * of the form id-less faults are named by ("step-<n>"), and referred to only after the step
 * that injects them; with a compose file at hand, every service and region a playbook names
 * exists. Pure: the compose file is read by the caller.
 */

/** What a compose file (plus the playbook's own region mapping) says exists. */
export interface KnownTopology {
  services: string[];
  /** Region → services. */
  regions: Record<string, string[]>;
  /** The label regions are read from, for messages. */
  regionLabel: string;
}

export function knownTopology(compose: ComposeFile, topology: Playbook['topology']): KnownTopology {
  const fromLabels = regionsFromLabels(compose.services, topology.regionLabel);
  return {
    services: compose.services.map((service) => service.name),
    regions: { ...fromLabels, ...topology.regions },
    regionLabel: topology.regionLabel,
  };
}

export function checkReferences(playbook: Playbook, known?: KnownTopology): PathIssue[] {
  return [
    ...checkRestoreSteps(playbook),
    ...checkFaultIds(playbook),
    ...checkStopConditionNames(playbook),
    ...(known ? checkTargets(playbook, known) : []),
  ];
}

/** Restore steps run after the rollback: a fault injected there would never be reverted. */
function checkRestoreSteps(playbook: Playbook): PathIssue[] {
  return (playbook.restore ?? []).flatMap((step, index) => {
    if (!step.inject) return [];
    const path = ['restore', index, 'inject'];
    return [{ path, message: `${pathPrefix(path)}a restore step cannot inject a fault: restore runs after the rollback, so nothing would revert it`, hint: 'inject faults in steps' }];
  });
}

/** Reports and the terminal name a breached stop condition: names must tell them apart. */
function checkStopConditionNames(playbook: Playbook): PathIssue[] {
  const firstAt = new Map<string, number>();
  const issues: PathIssue[] = [];
  (playbook.stopConditions ?? []).forEach((condition, index) => {
    const earlier = firstAt.get(condition.name);
    if (earlier === undefined) {
      firstAt.set(condition.name, index);
      return;
    }
    const path = ['stopConditions', index, 'name'];
    issues.push({ path, message: `${pathPrefix(path)}stop condition name "${condition.name}" is already used by stopConditions[${earlier}]`, hint: 'stop condition names must be unique' });
  });
  return issues;
}

interface PlacedStep {
  path: YamlPath;
  step: Step;
}

/** Steps in the order they run: the drill's steps, then its restore steps. */
function placedSteps(playbook: Playbook): PlacedStep[] {
  return [
    ...playbook.steps.map((step, index) => ({ path: ['steps', index], step })),
    ...(playbook.restore ?? []).map((step, index) => ({ path: ['restore', index], step })),
  ];
}

function stepLabel(placed: PlacedStep): string {
  return `${formatPath(placed.path)} ("${placed.step.name}")`;
}

function checkFaultIds(playbook: Playbook): PathIssue[] {
  const issues: PathIssue[] = [];
  const steps = placedSteps(playbook);
  const injectedBy = new Map<string, number>();
  steps.forEach((placed, index) => {
    const id = placed.step.inject?.id;
    if (id === undefined) return;
    // Refs key the rollback, the journal and the marks a fault leaves: one fault, one ref.
    if (isDefaultFaultRef(id)) {
      const path = [...placed.path, 'inject', 'id'];
      issues.push({ path, message: `${pathPrefix(path)}fault id "${id}" is reserved: a fault without an id is called "step-<n>" after its step`, hint: 'choose another id' });
      return;
    }
    const earlier = injectedBy.get(id);
    if (earlier === undefined) injectedBy.set(id, index);
    else issues.push({ path: [...placed.path, 'inject', 'id'], message: `${pathPrefix([...placed.path, 'inject', 'id'])}fault id "${id}" is already used by ${stepLabel(steps[earlier]!)}`, hint: 'fault ids must be unique' });
  });
  steps.forEach((placed, index) => {
    const { wait, run } = placed.step;
    if (wait?.from !== undefined) issues.push(...checkFaultReference([...placed.path, 'wait', 'from'], wait.from, index, steps, injectedBy));
    if (run?.kind === 'revert') issues.push(...checkFaultReference([...placed.path, 'run', 'fault'], run.fault, index, steps, injectedBy));
  });
  return issues;
}

function checkFaultReference(path: YamlPath, id: string, index: number, steps: PlacedStep[], injectedBy: Map<string, number>): PathIssue[] {
  const injectedAt = injectedBy.get(id);
  if (injectedAt !== undefined && injectedAt < index) return [];
  const prefix = pathPrefix(path);
  if (injectedAt !== undefined) {
    return [{ path, message: `${prefix}fault "${id}" is injected later, by ${stepLabel(steps[injectedAt]!)}`, hint: 'a step can only refer to a fault injected before it' }];
  }
  const earlierIds = [...injectedBy].filter(([, at]) => at < index).map(([name]) => name);
  const hint =
    didYouMean(id, earlierIds) ??
    (earlierIds.length > 0 ? `faults injected before this step: ${listNames(earlierIds)}` : 'give an earlier inject step an "id" and use it here');
  return [{ path, message: `${prefix}no earlier step injects a fault with id "${id}"`, hint }];
}

interface NamedTarget {
  path: YamlPath;
  name: string;
}

function checkTargets(playbook: Playbook, known: KnownTopology): PathIssue[] {
  const { services, regions } = targetsNamed(playbook);
  const knownRegions = Object.keys(known.regions);
  const serviceIssues = services
    .filter((target) => !known.services.includes(target.name))
    .map((target) => ({
      path: target.path,
      message: `${pathPrefix(target.path)}service "${target.name}" is not defined in the compose file`,
      hint: didYouMean(target.name, known.services) ?? `its services are ${listNames(known.services)}`,
    }));
  const regionIssues = regions
    .filter((target) => !knownRegions.includes(target.name))
    .map((target) => ({
      path: target.path,
      message: `${pathPrefix(target.path)}region "${target.name}" is unknown: no service has the label ${known.regionLabel}=${target.name} and topology.regions does not list it`,
      hint: didYouMean(target.name, knownRegions) ?? (knownRegions.length > 0 ? `known regions are ${listNames(knownRegions)}` : `label services with "${known.regionLabel}" in the compose file, or list them under topology.regions`),
    }));
  return [...serviceIssues, ...regionIssues];
}

/** Every service and region the playbook names, each with its path. */
function targetsNamed(playbook: Playbook): { services: NamedTarget[]; regions: NamedTarget[] } {
  const services: NamedTarget[] = [];
  const regions: NamedTarget[] = [];
  for (const [region, names] of Object.entries(playbook.topology.regions ?? {})) {
    names.forEach((name, index) => services.push({ path: ['topology', 'regions', region, index], name }));
  }
  (playbook.steadyState?.probes ?? []).forEach((probe, index) => {
    if ('service' in probe) services.push({ path: ['steadyState', 'probes', index, 'service'], name: probe.service });
  });
  (playbook.stopConditions ?? []).forEach(({ probe }, index) => {
    if ('service' in probe) services.push({ path: ['stopConditions', index, 'probe', 'service'], name: probe.service });
  });
  for (const { path, step } of placedSteps(playbook)) {
    if (step.inject && 'service' in step.inject) services.push({ path: [...path, 'inject', 'service'], name: step.inject.service });
    if (step.inject && 'region' in step.inject) regions.push({ path: [...path, 'inject', 'region'], name: step.inject.region });
    if (step.inject && 'between' in step.inject) {
      step.inject.between.forEach((side, s) => side.forEach((name, i) => services.push({ path: [...path, 'inject', 'between', s, i], name })));
    }
    if (step.inject && 'from' in step.inject) {
      (step.inject.from ?? []).forEach((name, i) => services.push({ path: [...path, 'inject', 'from', i], name }));
    }
    if (step.wait && 'service' in step.wait.probe) services.push({ path: [...path, 'wait', 'probe', 'service'], name: step.wait.probe.service });
    if (step.run && 'service' in step.run) services.push({ path: [...path, 'run', 'service'], name: step.run.service });
  }
  return { services, regions };
}
