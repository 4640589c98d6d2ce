/**
 * The report page's style, inlined into every report.html. System fonts only (nothing to
 * fetch); colours that survive printing; tables and figures kept whole across pages.
 */
export const REPORT_STYLE = `
:root { --ink: #1d232b; --muted: #5b6570; --line: #d5dbe1; --ok: #1f7a3d; --bad: #b3261e; --warn: #9a5b00; --fault: #e0892b; --paper: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 40px; background: var(--paper); }
h1 { font-size: 1.6rem; margin: 0 0 .6rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
p, ul { margin: .5rem 0; }
code { font: .86em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef1f4; padding: 0 .25em; border-radius: 3px; overflow-wrap: break-word; }
pre { background: #eef1f4; padding: .6rem .8rem; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { background: #f0f3f6; white-space: nowrap; }
#appendix-events td:nth-child(-n+2) { white-space: nowrap; }
header.verdict { border-left: 6px solid var(--muted); padding: .2rem 0 .2rem 1rem; }
header.verdict-passed { border-color: var(--ok); }
header.verdict-failed, header.verdict-error { border-color: var(--bad); }
header.verdict-aborted, header.verdict-incomplete { border-color: var(--warn); }
header.verdict-rollback-incomplete { border-color: var(--bad); background: #fdf1f0; }
header table th:empty { display: none; }
figure { margin: .8rem 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .label { fill: var(--ink); font-size: 12px; }
svg .tick, svg .stage-label { fill: var(--muted); }
svg .grid { stroke: #e6eaee; stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .fault { fill: var(--fault); }
svg .fault.open { stroke: var(--bad); stroke-dasharray: 3 2; }
svg .degraded { fill: #f2b8b5; }
svg .degraded.open { stroke: var(--bad); stroke-dasharray: 3 2; }
svg .detected { fill: var(--bad); }
svg .recovered { fill: var(--ok); }
svg .objective { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 3; }
svg .stage { fill: #3b6fb6; }
svg .sample { fill: #3b6fb6; }
svg .sample.failed { fill: var(--bad); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .6rem; }
@media print {
  @page { margin: 14mm; }
  body { background: none; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  table, figure, pre, tr { break-inside: avoid; }
  figure { overflow: visible; }
}
`;
