import type { HelperContainers } from '../engine/ports.js';
import { messageOf } from '../errors.js';
import { NETEM_PROBE_COMMAND, NO_NETEM } from '../faults/mechanisms/traffic-control.js';
import { DEFAULT_HELPER_IMAGE } from '../plan/plan.js';
import { finding, type BackendState, type Finding, type HelperImageChoice, type IptablesReading } from './findings.js';

/**
 * The checks that run throw-away helper containers from the helper image, as faults do: each
 * with no network of its own (NetworkMode none), so that nothing they change outlives them,
 * and removed by the adapter whatever happens.
 */

type Env = Record<string, string | undefined>;

/** The helper image a drill uses when its playbook names none: FIREDRILL_HELPER_IMAGE, else the default. */
export function helperImageChoice(env: Env): { image: string; chosenBy: HelperImageChoice } {
  const fromEnv = env.FIREDRILL_HELPER_IMAGE?.trim();
  return fromEnv ? { image: fromEnv, chosenBy: 'FIREDRILL_HELPER_IMAGE' } : { image: DEFAULT_HELPER_IMAGE, chosenBy: 'default' };
}

/** Resolves the image's id too, which the next checks run: `id` is set only when it is there. */
export async function checkHelperImage(
  engine: HelperContainers & { endpoint: string },
  choice: { image: string; chosenBy: HelperImageChoice },
  signal: AbortSignal,
): Promise<{ finding: Finding; id?: string }> {
  const id = await engine.imageId(choice.image, { signal });
  if (id === undefined)
    return { finding: finding('helper-image', 'fail', 'helper-image.missing', { ...choice, endpoint: engine.endpoint }) };
  return { finding: finding('helper-image', 'ok', 'helper-image.present', { ...choice, id }), id };
}

const HELPER_TIMEOUT_MS = 10_000;
const LABELS = { 'firedrill.doctor': 'true' };

/**
 * Tries each iptables backend the image has (-nft, -legacy) and its plain `iptables`, the one
 * faults inject with, by listing the rules of the helper's own empty namespace. One line each:
 * "<backend|plain> works|absent|fails <what it said>", the plain one's version after "works".
 */
export const IPTABLES_PROBE_SCRIPT = [
  'for backend in nft legacy; do',
  '  if ! command -v "iptables-$backend" >/dev/null 2>&1; then echo "$backend absent"',
  '  elif said=$("iptables-$backend" -w 5 -S 2>&1 >/dev/null); then echo "$backend works"',
  '  else echo "$backend fails $(printf %s "$said" | tr "\\n" " ")"; fi',
  'done',
  'if ! command -v iptables >/dev/null 2>&1; then echo "plain absent"',
  'elif said=$(iptables -w 5 -S 2>&1 >/dev/null); then echo "plain works $(iptables --version 2>&1 | tr "\\n" " ")"',
  'else echo "plain fails $(printf %s "$said" | tr "\\n" " ")"; fi',
].join('\n');

export async function checkIptables(engine: HelperContainers, imageId: string, signal: AbortSignal): Promise<Finding> {
  const result = await engine.runHelper(
    {
      image: imageId,
      command: ['sh', '-c', IPTABLES_PROBE_SCRIPT],
      isolated: true,
      capAdd: ['NET_ADMIN'],
      labels: LABELS,
      purpose: 'try its iptables backends',
    },
    { signal, timeoutMs: HELPER_TIMEOUT_MS },
  );
  if (result.exitCode !== 0)
    return finding('iptables', 'fail', 'check.failed', {
      cause: `the iptables probe exited with code ${result.exitCode}: ${said(result)}`,
    });
  const reading = parseIptablesProbe(result.stdout);
  return finding(
    'iptables',
    reading.plain.state === 'works' ? 'ok' : 'fail',
    reading.plain.state === 'works' ? 'iptables.works' : 'iptables.unusable',
    reading,
  );
}

export function parseIptablesProbe(output: string): IptablesReading {
  const lines = new Map<string, { state: BackendState; rest: string }>();
  for (const line of output.split('\n')) {
    const match = /^(nft|legacy|plain) (works|fails|absent) ?(.*)$/.exec(line.trim());
    if (match) lines.set(match[1]!, { state: match[2] as BackendState, rest: match[3]!.trim() });
  }
  const state = (name: string): BackendState => lines.get(name)?.state ?? 'absent';
  const plain = lines.get('plain');
  return {
    backends: { nft: state('nft'), legacy: state('legacy') },
    plain: {
      state: plain?.state ?? 'absent',
      ...(plain?.state === 'works' && plain.rest ? { version: plain.rest } : {}),
      ...(plain?.state === 'fails' ? { said: plain.rest.slice(0, 300) } : {}),
    },
  };
}

/** Adds a netem qdisc in the helper's own namespace, as the latency fault's preflight does. */
export async function checkNetem(engine: HelperContainers, imageId: string, signal: AbortSignal): Promise<Finding> {
  let result;
  try {
    result = await engine.runHelper(
      { image: imageId, command: NETEM_PROBE_COMMAND, isolated: true, capAdd: ['NET_ADMIN'], labels: LABELS, purpose: 'try a netem qdisc' },
      { signal, timeoutMs: HELPER_TIMEOUT_MS },
    );
  } catch (error) {
    if (signal.aborted) throw error;
    return finding('netem', 'warn', 'netem.unknown', { said: messageOf(error).slice(0, 300) });
  }
  if (result.exitCode === 0) return finding('netem', 'ok', 'netem.present', {});
  const text = said(result);
  return NO_NETEM.test(text)
    ? finding('netem', 'warn', 'netem.absent', { said: text })
    : finding('netem', 'warn', 'netem.unknown', { said: text });
}

function said(result: { stdout: string; stderr: string }): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-2).join(' / ').slice(0, 300);
}
