import { z } from 'zod';
import type { ContainerInfo, ExecResult } from '../engine/ports.js';
import { ScopeError } from '../errors.js';
import { pattern, serviceName, signalName } from '../spec/common.js';
import { serviceContainers, type Topology } from '../topology/topology.js';
import { applyToAll, pinRunning } from './mechanisms/container-modes.js';
import { faultCommonFields } from './fault-common.js';
import { mapBounded } from './mechanisms/target-pool.js';
import { runningOrLeft } from './mechanisms/found-state.js';
import { helperImageOf } from './mechanisms/netns-helper.js';
import { mergeOutcomes } from './mechanisms/revert-outcomes.js';
import type { Fault, FaultContext, FaultRecord, FaultTarget, RevertResult } from './fault.js';

export const processKillSchema = z
  .strictObject({
    kind: z.literal('process-kill'),
    ...faultCommonFields,
    service: serviceName,
    /** The process name, matched exactly as `pkill -x` does (at most 15 characters, the kernel's limit). */
    process: z
      .string()
      .regex(/^[^/\s]{1,15}$/, {
        message: 'a process name has 1 to 15 characters and no "/" or spaces (use `pattern` to match the command line)',
      })
      .optional(),
    /** A POSIX extended regular expression matched against the whole command line, as `pkill -f` does. */
    pattern: pattern.refine((text) => text.length > 0, { message: 'must not be empty' }).optional(),
    signal: signalName.default('SIGKILL'),
  })
  .refine((spec) => (spec.process === undefined) !== (spec.pattern === undefined), {
    message: 'give either `process` (a process name) or `pattern` (matched against the command line), not both',
  });
export type ProcessKillSpec = z.output<typeof processKillSchema>;

/** Each helper is a one-second job; a wedged engine must not hold the drill. */
const HELPER_TIMEOUT_MS = 30_000;

/**
 * Runs in a helper that shares the target's PID namespace (the helper's own image supplies
 * pgrep and kill). Arguments: signal name without SIG, pgrep's match flag (-x or -f), what to
 * match. pgrep writes to a file, not through $(…): a subshell would carry this script's
 * command line, which a -f pattern may match, and pgrep leaves out only itself. This shell
 * leaves itself out by $$. PID 1 is only reported: the kernel drops a signal sent to a
 * namespace's init from inside the namespace unless init handles it (SIGKILL never), so it is
 * signalled through the engine, from outside. A signal name dash does not know is refused
 * first (`trap -` is its one builtin that checks a name), or every kill would fail as "vanished".
 * Lines out: "killed <pid> <name>", "main 1 <name>", "vanished <pid> <name>" (it ended before
 * the signal reached it).
 */
const KILL_SCRIPT = [
  'trap - "$1" 2>/dev/null || { echo "unknown signal SIG$1" >&2; exit 4; }',
  'pgrep -l "$2" -- "$3" > /tmp/matched; found=$?',
  'if [ "$found" -gt 1 ]; then echo "pgrep failed with exit code $found" >&2; exit 3; fi',
  'while read -r pid name; do',
  '  if [ "$pid" = "$$" ]; then continue; fi',
  '  if [ "$pid" = 1 ]; then echo "main $pid $name"; continue; fi',
  '  if kill -s "$1" "$pid" 2>/dev/null; then echo "killed $pid $name"; else echo "vanished $pid $name"; fi',
  'done < /tmp/matched',
].join('\n');

/** The same signal check, then pgrep in this shell's place (so it is the only process to leave out). */
const LIST_SCRIPT = ['trap - "$1" 2>/dev/null || { echo "unknown signal SIG$1" >&2; exit 4; }', 'exec pgrep -l "$2" -- "$3"'].join('\n');

/** What preflight saw in a target, journaled for the plan. */
const matchedSchema = z.object({ processes: z.array(z.object({ pid: z.number(), name: z.string() })) });
type MatchedProcess = z.output<typeof matchedSchema>['processes'][number];

/** pgrep's match flag (the scripts put what it matches after "--": a pattern may start with "-"). */
function matchFlag(spec: ProcessKillSpec): ['-x' | '-f', string] {
  return spec.process !== undefined ? ['-x', spec.process] : ['-f', spec.pattern ?? ''];
}

function matchWords(spec: ProcessKillSpec): string {
  return spec.process !== undefined ? `process named ${spec.process}` : `process whose command line matches /${spec.pattern}/`;
}

/** Runs a command in a helper sharing the target's PID namespace, with no network. */
function besideTarget(
  record: FaultRecord<ProcessKillSpec>,
  target: FaultTarget,
  command: string[],
  ctx: FaultContext,
): Promise<ExecResult> {
  // Helpers carry the fault's id, as every fault's helpers do.
  const spec = {
    image: helperImageOf(record),
    command,
    pidOf: target.containerId,
    isolated: true,
    labels: { 'firedrill.fault': record.ref },
  };
  return ctx.engine.runHelper(spec, { signal: ctx.signal, timeoutMs: HELPER_TIMEOUT_MS });
}

/** Lists the matching processes in the target without touching them; refuses an unknown signal. */
async function listMatches(record: FaultRecord<ProcessKillSpec>, target: FaultTarget, ctx: FaultContext): Promise<MatchedProcess[]> {
  const [flag, what] = matchFlag(record.spec);
  const result = await besideTarget(
    record,
    target,
    ['sh', '-c', LIST_SCRIPT, 'firedrill-process-list', signalWithoutSig(record.spec), flag, what],
    ctx,
  );
  if (result.exitCode === 4) throw new ScopeError(`${result.stderr.trim()}: name a signal such as SIGKILL, SIGTERM or SIGHUP`);
  if (result.exitCode > 1)
    throw new Error(`pgrep in a helper beside ${target.name} exited with code ${result.exitCode}: ${result.stderr.trim()}`);
  return parseProcesses(result.stdout);
}

function signalWithoutSig(spec: ProcessKillSpec): string {
  return spec.signal.replace(/^SIG/, '');
}

/** The names of the processes in the target, for a message. */
async function processNames(record: FaultRecord<ProcessKillSpec>, target: FaultTarget, ctx: FaultContext): Promise<string[]> {
  const result = await besideTarget(record, target, ['ps', '-e', '-o', 'comm='], ctx);
  // The helper's own ps is in the list too.
  return [
    ...new Set(
      result.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((name) => name && name !== 'ps'),
    ),
  ];
}

function parseProcesses(stdout: string): MatchedProcess[] {
  return stdout
    .split('\n')
    .map((line) => /^(\d+)\s+(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), name: match[2]! }));
}

/** How many `pid: container:<…>` hops are followed before giving up (a loop cannot be created, but be safe). */
const MAX_PID_HOPS = 5;

/**
 * Refuses a target whose PID namespace is not its own project's. A helper joining the target's
 * namespace sees what the target sees: with `pid: host`, every process of the engine's host
 * (dockerd among them), and with `pid: container:<other>`, the other container's processes; a
 * pattern could then kill far beyond the service. A namespace shared with another container
 * of the project is allowed, unless that one is the host's.
 */
export function checkPidNamespace(container: ContainerInfo, topology: Topology): void {
  const who = `container ${container.name} (service ${container.service})`;
  const refuse = (why: string): never => {
    throw new ScopeError(
      `process-kill refuses ${who}: ${why}, so pkill beside it could match processes outside compose project ` +
        `"${topology.project}" — leave this service out of process-kill, or give it a PID namespace of its own`,
    );
  };
  const projectContainers = topology.services.flatMap((service) => service.containers);
  let current = container;
  for (let hop = 0; hop < MAX_PID_HOPS; hop += 1) {
    const mode = current.pidMode ?? '';
    if (mode === '' || mode === 'private') return;
    if (mode === 'host') {
      return refuse(
        current === container
          ? 'it shares the PID namespace of the host (pid: host)'
          : `it shares the PID namespace of ${current.name}, which is the host's`,
      );
    }
    if (!mode.startsWith('container:')) return refuse(`its PID namespace is "${mode}", which firedrill does not know`);
    const ref = mode.slice('container:'.length);
    const joined = projectContainers.find((c) => c.id === ref || c.name === ref || (/^[0-9a-f]{12,}$/.test(ref) && c.id.startsWith(ref)));
    if (!joined)
      return refuse(`it shares the PID namespace of container "${ref}" (pid: container:${ref}), which is not part of the project`);
    current = joined;
  }
  return refuse(`its PID namespace is shared through more than ${MAX_PID_HOPS} containers`);
}

/** Whether preflight saw the container's main process (PID 1) among the matches: inject then signals it through the engine. */
function signalsMain(target: FaultTarget): boolean {
  return matchedSchema.safeParse(target.before).data?.processes.some((p) => p.pid === 1) ?? false;
}

/**
 * A killed process cannot be brought back; what remains is the container's running state. A
 * container this fault stopped (its main process signalled) is started again; one stopped or
 * paused by something else (a newer fault still applied, a person) is left as it was found.
 */
function checkOne(target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const main = signalsMain(target);
  return runningOrLeft(target, ctx, {
    stoppedBy: () => (main ? 'this fault signalled its main process (PID 1)' : undefined),
    notOurs: (state) =>
      state.status === 'paused'
        ? 'not by this fault (it signals processes and never pauses)'
        : 'and this fault did not signal its main process (another fault may have stopped it, or its main process ended after a child was killed)',
  });
}

async function killIn(record: FaultRecord<ProcessKillSpec>, target: FaultTarget, ctx: FaultContext): Promise<void> {
  const [flag, what] = matchFlag(record.spec);
  const result = await besideTarget(
    record,
    target,
    ['sh', '-c', KILL_SCRIPT, 'firedrill-process-kill', signalWithoutSig(record.spec), flag, what],
    ctx,
  );
  if (result.exitCode !== 0)
    throw new Error(`the kill helper beside ${target.name} exited with code ${result.exitCode}: ${result.stderr.trim()}`);
  const lines = result.stdout.split('\n').map((line) => line.trim().split(/\s+/));
  const killed = lines.filter(([what]) => what === 'killed');
  const main = lines.some(([what]) => what === 'main');
  if (main) await ctx.engine.kill(target.containerId, record.spec.signal, { signal: ctx.signal });
  if (killed.length === 0 && !main) {
    throw new Error(`no ${matchWords(record.spec)} was running in ${target.name} (there was at plan time); nothing was killed`);
  }
}

/**
 * Sends a signal (SIGKILL by default) to processes inside every container of a service,
 * chosen by name (`pkill -x`) or by a pattern on the command line (`pkill -f`), from a helper
 * container that shares the target's PID namespace — the target's image needs no tools.
 * A killed process cannot be brought back; the revert observes every container, starting one
 * whose main process this fault signalled and leaving any other stopped or paused one as found.
 * A target sharing the PID namespace of the host, or of a container outside the project, is refused.
 */
export const processKill: Fault<ProcessKillSpec, typeof processKillSchema> = {
  kind: 'process-kill',
  schema: processKillSchema,
  revertible: true,
  usesHelper: true,

  describe: (spec) => `send ${spec.signal} to every ${matchWords(spec)} in every container of service ${spec.service}`,

  targets: (spec, topology) => {
    const containers = serviceContainers(topology, spec.service);
    for (const container of containers) checkPidNamespace(container, topology);
    return pinRunning(containers, topology, `process-kill of service "${spec.service}"`);
  },

  async preflight(record, ctx) {
    const targets = await mapBounded(record.targets, async (target): Promise<FaultTarget> => {
      const matched = await listMatches(record, target, ctx);
      if (matched.length === 0) {
        const names = await processNames(record, target, ctx);
        throw new ScopeError(
          `no ${matchWords(record.spec)} runs in container ${target.name} (service ${target.service}); ` +
            `its processes are: ${names.join(', ') || 'none'} — name one of them (\`process\`) or match its command line (\`pattern\`)`,
        );
      }
      return { ...target, before: { processes: matched } };
    });
    return { ...record, targets };
  },

  plan: (record) =>
    record.targets.map((target) => {
      const matched = matchedSchema.safeParse(target.before).data?.processes;
      // Live PIDs change whenever the target forks: they are shown, not hashed.
      const measured = matched ? { measured: `matching: ${matched.map((p) => `${p.name} pid ${p.pid}`).join(', ')}` } : {};
      const main = signalsMain(target)
        ? `; PID 1 is the container's main process: it is signalled through the engine and the container stops if it dies`
        : '';
      const revert = signalsMain(target)
        ? `a killed process cannot be revived: check that ${target.name} is running, and start it if it stopped`
        : `a killed process cannot be revived: check that ${target.name} is running (one stopped or paused by something else is left as it is)`;
      return {
        apply: `send ${record.spec.signal} to every ${matchWords(record.spec)} in container ${target.name} (service ${target.service}), from a helper sharing its PID namespace${main}`,
        revert,
        ...measured,
      };
    }),

  inject: (record, ctx) =>
    applyToAll(record.targets, `process-kill of service ${record.spec.service}`, (target) => killIn(record, target, ctx)),

  async revert(record, ctx) {
    const result = mergeOutcomes(await Promise.all(record.targets.map((target) => checkOne(target, ctx))));
    return { ...result, done: ['killed processes cannot be revived; checked that every container runs', ...result.done] };
  },
};
