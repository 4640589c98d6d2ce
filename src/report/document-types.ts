import type { ReportSectionId } from '../playbook/report-settings.js';
import type { DrillModel } from './model-types.js';

/** The shape of one report as sections (report-document.ts builds it; each format lays it out). */

export type Audience = 'customer' | 'engineering';
export const AUDIENCES: readonly Audience[] = ['customer', 'engineering'];

export interface ReportSection {
  id: ReportSectionId | `appendix-${string}`;
  title: string;
  markdown: string;
  /** Inline SVG, for the HTML only. */
  figures: string[];
}

export interface ReportDocument {
  audience: Audience;
  verdict: DrillModel['verdict'];
  /** The page title, plain text. */
  title: string;
  /** The verdict and the run's facts, in Markdown. */
  header: string;
  sections: ReportSection[];
}
