import { junitCases, verdictLines } from './junit-cases.js';
import { type JunitCase, junitDuration } from './junit-types.js';
import type { DrillModel } from './model-types.js';
import { formatAtLeast, formatMeasured, formatWallTime } from '../words/time-format.js';
import { xmlAttr, xmlText } from './xml-text.js';

/**
 * junit.xml: the drill for CI servers (GitLab, Jenkins' junit plugin, the GitHub reporters),
 * one <testsuite> per drill, in the subset of the JUnit format they all read: counts and `time`
 * (seconds) on the suite, `classname`, `name` and `time` on every case, at most one <failure>,
 * <error> or <skipped> per case, captured output in <system-out>. Pure: the same model gives
 * the same bytes (no clock, no locale, no host name).
 */
export function renderJunit(model: DrillModel): string {
  const cases = junitCases(model);
  const tally = {
    tests: cases.length,
    failures: cases.filter((c) => c.result.kind === 'failure').length,
    errors: cases.filter((c) => c.result.kind === 'error').length,
    skipped: cases.filter((c) => c.result.kind === 'skipped').length,
  };
  const time = junitDuration(model);
  const timestamp = junitTimestamp(model.startedAt);
  const suite = attributes([
    ['name', model.playbook?.name ?? 'firedrill'],
    ['tests', String(tally.tests)],
    ['failures', String(tally.failures)],
    ['errors', String(tally.errors)],
    ['skipped', String(tally.skipped)],
    ['time', time],
    ...(timestamp ? [['timestamp', timestamp] as [string, string]] : []),
  ]);
  const totals = attributes([
    ['name', 'firedrill'],
    ['tests', String(tally.tests)],
    ['failures', String(tally.failures)],
    ['errors', String(tally.errors)],
    ['time', time],
  ]);
  const file = model.playbook?.file;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${totals}>`,
    `  <testsuite${suite}>`,
    '    <properties>',
    ...propertiesOf(model).map(
      ([name, value]) =>
        `      <property${attributes([
          ['name', name],
          ['value', value],
        ])}/>`,
    ),
    '    </properties>',
    ...cases.map((c) => testcase(c, file)),
    `    <system-out>${xmlText(suiteOutput(model).join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * The common schema's timestamp: local date and time, no zone, no fraction. The journal's time
 * is UTC; cut, not converted, so no time zone of the machine that renders gets in.
 */
export function junitTimestamp(startedAt: string | null): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(startedAt ?? '');
  return match?.[1] ?? null;
}

function testcase(c: JunitCase, file: string | undefined): string {
  // `file` lets the GitHub reporters put their annotations on the playbook.
  const head = `    <testcase${attributes([['classname', c.classname], ['name', c.name], ['time', c.seconds], ...(file ? [['file', file] as [string, string]] : [])])}`;
  const children: string[] = [];
  const r = c.result;
  if (r.kind === 'failure' || r.kind === 'error') {
    children.push(
      `      <${r.kind}${attributes([
        ['message', r.message],
        ['type', r.type],
      ])}>${xmlText(r.detail)}</${r.kind}>`,
    );
  } else if (r.kind === 'skipped') {
    children.push(`      <skipped${attributes([['message', r.message]])}/>`);
  }
  if (c.output) children.push(`      <system-out>${xmlText(c.output)}</system-out>`);
  return children.length === 0 ? `${head}/>` : [`${head}>`, ...children, '    </testcase>'].join('\n');
}

/** Facts a CI server can show beside the results (Jenkins does); the engine's address is left out. */
function propertiesOf(model: DrillModel): [string, string][] {
  const props: [string, string][] = [['firedrill.verdict', model.verdict]];
  if (model.exitCode !== null) props.push(['firedrill.exitCode', String(model.exitCode)]);
  if (model.runId) props.push(['firedrill.runId', model.runId]);
  if (model.playbook) {
    props.push(
      ['firedrill.playbook', model.playbook.name],
      ['firedrill.playbook.file', model.playbook.file],
      ['firedrill.playbook.sha256', model.playbook.sha256],
    );
  }
  if (model.planHash) props.push(['firedrill.planHash', model.planHash]);
  if (model.project) props.push(['firedrill.project', model.project]);
  if (model.firedrillVersion) props.push(['firedrill.version', model.firedrillVersion]);
  return props;
}

function suiteOutput(model: DrillModel): string[] {
  const lines = verdictLines(model);
  if (model.playbook) lines.push(`Playbook: ${model.playbook.title} (${model.playbook.name}, ${model.playbook.file})`);
  if (model.runId) lines.push(`Run: ${model.runId}`);
  if (model.startedAt) lines.push(`Started: ${formatWallTime(model.startedAt)}`);
  lines.push(
    `Duration: ${model.finished ? formatMeasured(model.durationMs) : `at least ${formatAtLeast(model.durationMs)} (the journal ends early)`}`,
  );
  return lines;
}

function attributes(pairs: [string, string][]): string {
  return pairs.map(([name, value]) => ` ${name}="${xmlAttr(value)}"`).join('');
}
