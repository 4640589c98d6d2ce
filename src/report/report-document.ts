import { renderAppendix } from './appendix.js';
import { renderCustomerImpact, renderHeader, renderSimulated } from './markdown.js';
import { renderFindings, renderNextSteps, renderRollback } from './markdown-rollback.js';
import { renderCustomerUpdates } from './markdown-contact.js';
import { renderRegression } from './markdown-regression.js';
import { renderStatusPage } from './markdown-status.js';
import { renderStopConditions } from './markdown-stop-conditions.js';
import { renderObjectives, renderSteps } from './markdown-tables.js';
import { renderTimeline } from './markdown-timeline.js';
import type { DrillModel } from './model-types.js';
import type { Audience, ReportDocument, ReportSection } from './document-types.js';
import { redactForCustomer } from './redact.js';
import { statusStages, type StageModel } from './status-stages.js';
import { renderTimelineSvg } from './timeline-svg.js';

/**
 * One report, as sections: what both report.md and report.html say, so the two are twins.
 * Each section's body is Markdown; a section may add figures (inline SVG) that only the HTML
 * can show, and whose content the Markdown says in words. The customer audience reads a
 * redacted model (redact.ts) without the sections its playbook hides; the engineering
 * audience reads everything, plus the technical appendix.
 */

export function reportDocument(source: DrillModel, audience: Audience): ReportDocument {
  const model = audience === 'customer' ? redactForCustomer(source) : source;
  const stages = statusStages(model);
  const sections: ReportSection[] = [
    section('simulated', 'What we simulated', renderSimulated(model)),
    section('customer-impact', 'What customers would have seen', renderCustomerImpact(model)),
    section('objectives', 'Objectives', renderObjectives(model)),
    ...optional('regression', 'Compared with the previous run', renderRegression(model)),
    section('status-updates', 'Status page', renderStatusPage(model, stages)),
    ...optional('customer-updates', 'Customer updates', renderCustomerUpdates(model, { showTargets: audience === 'engineering' })),
    // Only for drills that watched stop conditions: older reports stay as they were.
    ...(model.stopConditions.length > 0 ? [section('stop-conditions', 'Stop conditions', renderStopConditions(model))] : []),
    section('steps', 'Steps', renderSteps(model)),
    section('timeline', 'Timeline', renderTimeline(model), timelineFigures(model, stages)),
    section('rollback', 'Rollback', renderRollback(model)),
    section('findings', 'Findings', renderFindings(model)),
    section('next-steps', 'What happens next', renderNextSteps(model)),
  ];
  const hidden = new Set<string>(audience === 'customer' ? (model.playbook?.report?.customer.hide ?? []) : []);
  return {
    audience,
    verdict: model.verdict,
    title: `Drill report: ${model.playbook?.title ?? 'an unnamed drill'}${audience === 'engineering' ? ' (engineering)' : ''}`,
    header: renderHeader(model),
    sections: [...sections.filter((s) => !hidden.has(s.id)), ...(audience === 'engineering' ? renderAppendix(model) : [])],
  };
}

/** A section only drills that have its facts get: reports of other drills stay as they were. */
function optional(id: ReportSection['id'], title: string, markdown: string | null): ReportSection[] {
  return markdown === null ? [] : [section(id, title, markdown)];
}

function section(id: ReportSection['id'], title: string, markdown: string, figures: string[] = []): ReportSection {
  return { id, title, markdown, figures };
}

function timelineFigures(model: DrillModel, stages: readonly StageModel[]): string[] {
  return model.timeline.length > 0 ? [renderTimelineSvg(model, stages)] : [];
}
