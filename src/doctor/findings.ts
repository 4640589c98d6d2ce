/**
 * What `firedrill doctor` finds, as data: each check ends in one finding, a code with its
 * arguments (as publint's messages are), and doctor-words.ts alone puts findings into words.
 * The JSON output and the text output are both made from these.
 */

/** The checks, in the order they are shown. */
export const CHECK_IDS = ['node', 'engine', 'compose', 'helper-image', 'iptables', 'netem', 'cgroup', 'runs-dir'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/**
 * ok and warn leave the machine ready; fail does not. not-checked: the check needs something
 * another check found missing (the engine, the helper image), which that check reports.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'not-checked';

/** How the engine's address was chosen, as docker-endpoint.ts chooses it. */
export type EngineChoice = 'DOCKER_HOST' | 'default-socket';

/** The docker CLI's current context when it is not "default": firedrill does not read contexts. */
export interface DockerContext {
  name: string;
  /** Where the context points; undefined when its description could not be read. */
  host?: string;
  /** Which setting selects it. */
  selectedBy: 'DOCKER_CONTEXT' | 'config.json';
}

export interface EngineWhere {
  endpoint: string;
  chosenBy: EngineChoice;
  context?: DockerContext;
}

export type BackendState = 'works' | 'fails' | 'absent';

export interface IptablesReading {
  backends: { nft: BackendState; legacy: BackendState };
  /** The image's own `iptables`, the one faults inject with. */
  plain: { state: BackendState; version?: string; said?: string };
}

export type HelperImageChoice = 'FIREDRILL_HELPER_IMAGE' | 'default';

/** Every finding code and the facts it carries. */
export interface FindingArgs {
  'node.supported': { version: string };
  'node.unsupported': { version: string };
  'engine.answers': EngineWhere & { version: string; apiVersion: string };
  'engine.context-elsewhere': EngineWhere & { version: string; apiVersion: string; context: DockerContext };
  'engine.api-too-old': EngineWhere & { version: string; apiVersion: string; minimum: string };
  'engine.unreachable': EngineWhere & { cause: string };
  'compose.found': { v2?: string; v1?: string };
  'compose.missing': Record<string, never>;
  'helper-image.present': { image: string; id: string; chosenBy: HelperImageChoice };
  'helper-image.missing': { image: string; chosenBy: HelperImageChoice; endpoint: string };
  'iptables.works': IptablesReading;
  'iptables.unusable': IptablesReading;
  'netem.present': Record<string, never>;
  'netem.absent': { said: string };
  'netem.unknown': { said: string };
  'cgroup.version': { version: string; driver?: string; kernel?: string };
  'cgroup.unknown': { apiVersion?: string };
  'runs-dir.writable': { dir: string; exists: boolean; createdUnder?: string };
  'runs-dir.not-writable': { dir: string; at: string; cause: string };
  'runs-dir.blocked': { dir: string; at: string };
  'not-checked.no-engine': Record<string, never>;
  'not-checked.no-helper-image': { image: string };
  /** Any check that did not end in its time. */
  'check.timed-out': { seconds: number };
  /** Any check that failed in a way it does not know. */
  'check.failed': { cause: string };
}

export type FindingCode = keyof FindingArgs;

export type Finding = {
  [C in FindingCode]: { id: CheckId; status: CheckStatus; code: C; args: FindingArgs[C] };
}[FindingCode];

export function finding<C extends FindingCode>(id: CheckId, status: CheckStatus, code: C, args: FindingArgs[C]): Finding {
  return { id, status, code, args } as Finding;
}

export interface DoctorReport {
  /** True when no check failed: warnings allowed. */
  ready: boolean;
  findings: Finding[];
}

export function verdictOf(findings: Finding[]): DoctorReport {
  const ordered = [...findings].sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
  return { ready: ordered.every((f) => f.status === 'ok' || f.status === 'warn'), findings: ordered };
}
