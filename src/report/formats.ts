import type { Audience, ReportDocument } from './document-types.js';
import type { DrillModel } from './model-types.js';

/** A report people read: written once for each audience asked for, from that audience's document. */
export interface AudienceReportFormat {
  /** The file each audience's report goes to, beside the journal. */
  readonly files: Readonly<Record<Audience, string>>;
  readonly renderer: () => Promise<(doc: ReportDocument) => string>;
}

/** A report for machines: written once a run, from the model (machines have no audience). */
export interface RunReportFormat {
  /** The file the report goes to, beside the journal. */
  readonly file: string;
  readonly renderer: () => Promise<(model: DrillModel) => string>;
}

/**
 * Every report format, by the name `--format` takes, in the order they are written. This
 * module imports no renderer (each `renderer` loads its own when that format is written), so
 * the command line reads the names from here at no cost. Adding a format is its renderer and
 * one entry here.
 */
export const reportFormats = {
  md: {
    files: { customer: 'report.md', engineering: 'report.engineering.md' },
    renderer: async () => (await import('./markdown.js')).renderMarkdown,
  },
  html: {
    files: { customer: 'report.html', engineering: 'report.engineering.html' },
    renderer: async () => (await import('./html.js')).renderHtml,
  },
  json: { file: 'report.json', renderer: async () => (await import('./json.js')).renderJson },
  junit: { file: 'junit.xml', renderer: async () => (await import('./junit.js')).renderJunit },
} as const satisfies Readonly<Record<string, AudienceReportFormat | RunReportFormat>>;

export type ReportFormat = keyof typeof reportFormats;
/** The formats' names, in the order they are written. */
export const REPORT_FORMATS = Object.keys(reportFormats) as readonly ReportFormat[];
