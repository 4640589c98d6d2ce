import type { EventMap, Section, StepOutline } from '../../journal/events.js';

export interface StepPlace {
  section: Section;
  /** 1-based position within its section, as people count. */
  position: number;
  total: number;
  name: string;
  outline?: StepOutline;
}

/**
 * What the drill announced at `drill.started`, looked up by the (section, index) that later
 * events carry. Positions are counted from the outline lists, so the display does not depend
 * on whether the runner's `index` starts at 0 or 1.
 */
export class DrillOutline {
  constructor(readonly started: EventMap['drill.started']) {}

  place(section: Section, index: number, fallbackName = ''): StepPlace {
    const list = section === 'restore' ? this.started.restore : this.started.steps;
    const at = list.findIndex((step) => step.index === index);
    if (at < 0) return { section, position: index + 1, total: list.length, name: fallbackName };
    const outline = list[at]!;
    return { section, position: at + 1, total: list.length, name: outline.name, outline };
  }
}

/** `step 2/5 "edge fails over"`, or `restore step 1/2 "re-point replicas"`. */
export function stepLabel(place: StepPlace): string {
  const prefix = place.section === 'restore' ? 'restore step' : 'step';
  return `${prefix} ${place.position}/${place.total} "${place.name}"`;
}

/** Identity of a step across events. */
export function stepKey(section: Section, index: number): string {
  return `${section}:${index}`;
}
