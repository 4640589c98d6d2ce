import { COMPOSE_INSTALL_ADVICE } from '../topology/compose-cli.js';
import { count } from '../words/number-words.js';
import type { CheckId, CheckStatus, DoctorReport, EngineWhere, Finding, HelperImageChoice, IptablesReading } from './findings.js';

/**
 * Every word `firedrill doctor` says: what each finding found and, when it is not ok, what to
 * do. The checks return data (findings.ts); the text and the JSON output both read it here.
 */

export interface FindingWords {
  found: string;
  fix?: string;
}

export const CHECK_LABEL: Record<CheckId, string> = {
  node: 'Node.js',
  engine: 'Docker Engine',
  compose: 'compose',
  'helper-image': 'helper image',
  iptables: 'iptables',
  netem: 'netem',
  cgroup: 'cgroups',
  'runs-dir': 'runs directory',
};

export const STATUS_WORD: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'fail', 'not-checked': 'skip' };

/** What a check asks, for the fix when it timed out or failed in a way it does not know. */
const ASKS: Record<CheckId, string> = {
  node: 'nothing outside this process',
  engine: 'the engine for its version (try `docker version`)',
  compose: 'compose for its version (try `docker compose version` and `docker-compose version`)',
  'helper-image': 'the engine for the helper image (try `docker image inspect <image>`)',
  iptables: 'the engine to run a helper container (try `docker run --rm --network none <helper image> iptables -S`)',
  netem: 'the engine to run a helper container (try `docker run --rm --network none <helper image> true`)',
  cgroup: 'the engine about its host (try `docker info`)',
  'runs-dir': 'the file system (try creating a file in the runs directory)',
};

export function findingWords(f: Finding): FindingWords {
  switch (f.code) {
    case 'node.supported':
      return { found: `Node.js ${f.args.version}` };
    case 'node.unsupported':
      return {
        found: `Node.js ${f.args.version}, which firedrill does not run on`,
        fix: 'install Node.js 22.13 or later in the 22 line, or 24 and later (24 LTS is recommended), and run firedrill with that `node`',
      };
    case 'engine.answers':
      return { found: `Docker Engine ${f.args.version} (API ${f.args.apiVersion}) at ${whereWords(f.args)}` };
    case 'engine.context-elsewhere': {
      const { context } = f.args;
      const unselect = context.selectedBy === 'DOCKER_CONTEXT' ? 'unset DOCKER_CONTEXT' : 'run `docker context use default`';
      return {
        found:
          `Docker Engine ${f.args.version} (API ${f.args.apiVersion}) at ${whereWords(f.args)}; but the docker and compose commands ` +
          `use context "${context.name}" (${context.host ?? 'its address could not be read'}, selected by ${context.selectedBy}), ` +
          'which firedrill does not read',
        fix: context.host
          ? `to drill on the context's engine, export DOCKER_HOST=${context.host}; ` +
            `to use this engine with docker and compose too, ${unselect}`
          : 'export DOCKER_HOST with the address of the engine to drill on ' +
            `(\`docker context inspect ${context.name}\` shows it), or ${unselect}`,
      };
    }
    case 'engine.api-too-old':
      return {
        found: `Docker Engine ${f.args.version} (API ${f.args.apiVersion}) at ${whereWords(f.args)}`,
        fix: `firedrill needs API ${f.args.minimum} or later (Docker Engine 17.06 or later): upgrade the engine`,
      };
    case 'engine.unreachable':
      return { found: `no engine answers at ${whereWords(f.args)}: ${f.args.cause}`, fix: unreachableFix(f.args) };
    case 'compose.found':
      return { found: composeWords(f.args) };
    case 'compose.missing':
      return {
        found: 'neither `docker compose` (v2) nor `docker-compose` (v1) answers',
        fix:
          `${COMPOSE_INSTALL_ADVICE}. Drills run without it (firedrill reads compose files itself), ` +
          'but bringing projects up and `firedrill demo` need it',
      };
    case 'helper-image.present':
      return {
        found: `${f.args.image} (${shortId(f.args.id)}), ${chosenWords(f.args.chosenBy)}`,
      };
    case 'helper-image.missing':
      return {
        found: `${f.args.image} (${chosenWords(f.args.chosenBy)}) is not on the engine at ${f.args.endpoint}`,
        fix:
          (f.args.chosenBy === 'default'
            ? 'build it: `firedrill demo` does, or `bash templates/demo/images/build-base-image.sh` ' +
              '(from Debian packages, no registry needed); '
            : `build or load ${f.args.image} on that engine, or unset FIREDRILL_HELPER_IMAGE to use the default; `) +
          'or set FIREDRILL_HELPER_IMAGE to an image there with iptables, iproute2 (tc) and procps. The engine never pulls it',
      };
    case 'iptables.works':
      return { found: `${f.args.plain.version ?? 'iptables'} works in the helper image (${backendWords(f.args)})` };
    case 'iptables.unusable':
      return iptablesUnusable(f.args);
    case 'netem.present':
      return { found: "the engine's kernel has netem (sch_netem)" };
    case 'netem.absent':
      return {
        found: `the engine's kernel has no netem (sch_netem): ${f.args.said}`,
        fix:
          'only latency faults need it (they are refused before anything is injected; packet-loss works without it): ' +
          "load it with `modprobe sch_netem` on the engine's host",
      };
    case 'netem.unknown':
      return { found: `netem could not be tried: ${f.args.said}`, fix: 'latency faults need tc (iproute2) in the helper image' };
    case 'cgroup.version':
      return {
        found:
          `cgroup v${f.args.version}${f.args.driver ? ` (${f.args.driver} driver)` : ''}` +
          (f.args.kernel ? `, kernel ${f.args.kernel}` : ''),
      };
    case 'cgroup.unknown':
      return {
        found: `the engine does not say${f.args.apiVersion ? ` (API ${f.args.apiVersion}; engines say from API 1.40)` : ''}`,
        fix: 'nothing stops a drill; Docker Engine 19.03 or later says which version it uses',
      };
    case 'runs-dir.writable':
      return {
        found: f.args.exists
          ? `${f.args.dir} is writable`
          : `${f.args.dir} does not exist yet; the first run creates it, in ${f.args.createdUnder}, which is writable`,
      };
    case 'runs-dir.not-writable':
      return {
        found: `${f.args.dir} cannot be written: ${f.args.cause}`,
        fix: `give --runs-dir a directory you can write, or change the permissions of ${f.args.at}`,
      };
    case 'runs-dir.blocked':
      return {
        found: `${f.args.dir} cannot be created: ${f.args.at} is not a directory`,
        fix: `give --runs-dir another directory, or move ${f.args.at} away`,
      };
    case 'not-checked.no-engine':
      return { found: 'not checked: no engine' };
    case 'not-checked.no-helper-image':
      return { found: `not checked: no helper image (${f.args.image})` };
    case 'check.timed-out':
      return { found: `no answer within ${f.args.seconds} s`, fix: `it asks ${ASKS[f.id]}: see why that hangs` };
    case 'check.failed':
      return { found: `could not be checked: ${f.args.cause}`, fix: `it asks ${ASKS[f.id]}: see why that fails` };
  }
}

/** "ready: drills can run here (2 warnings)" · "not ready: 1 check failed, 3 not checked". */
export function verdictWords(report: DoctorReport): string {
  const warnings = report.findings.filter((f) => f.status === 'warn').length;
  if (report.ready) return `ready: drills can run here${warnings > 0 ? ` (${count(warnings, 'warning')})` : ''}`;
  const failed = report.findings.filter((f) => f.status === 'fail').length;
  const skipped = report.findings.filter((f) => f.status === 'not-checked').length;
  const notChecked = skipped > 0 ? `, ${skipped} not checked` : '';
  const them = failed === 1 ? 'it' : 'them';
  return `not ready: ${count(failed, 'check')} failed${notChecked} — fix ${them} and run \`firedrill doctor\` again`;
}

function whereWords(where: EngineWhere): string {
  return `${where.endpoint} (${where.chosenBy === 'DOCKER_HOST' ? 'from DOCKER_HOST' : 'the default socket: DOCKER_HOST is not set'})`;
}

function unreachableFix(where: EngineWhere): string {
  const start =
    where.chosenBy === 'DOCKER_HOST'
      ? 'start the Docker daemon DOCKER_HOST names, or correct DOCKER_HOST'
      : 'start the Docker daemon, or set DOCKER_HOST to an engine that runs';
  const { context } = where;
  return context?.host
    ? `${start}; the docker CLI uses context "${context.name}" at ${context.host}: export DOCKER_HOST=${context.host} to drill there`
    : start;
}

function composeWords(found: { v2?: string; v1?: string }): string {
  const listed = [found.v2 && `docker compose ${found.v2} (v2)`, found.v1 && `docker-compose ${found.v1}`].filter(Boolean).join(' and ');
  const missing = found.v2 ? (found.v1 ? '' : '; docker-compose (v1) is not installed') : '; docker compose (v2) is not installed';
  return `${listed}${missing}; firedrill uses ${found.v2 ? 'docker compose' : 'docker-compose'}`;
}

function backendWords(reading: IptablesReading): string {
  return (['nft', 'legacy'] as const)
    .map((backend) => `iptables-${backend} ${reading.backends[backend] === 'absent' ? 'not installed' : reading.backends[backend]}`)
    .join(', ');
}

function iptablesUnusable(reading: IptablesReading): FindingWords {
  const faults = 'network-partition and packet-loss need it';
  if (reading.plain.state === 'absent') {
    return {
      found: 'the helper image has no iptables',
      fix: `${faults}: use a helper image with iptables (Debian: apt-get install iptables)`,
    };
  }
  const working = (['nft', 'legacy'] as const).find((backend) => reading.backends[backend] === 'works');
  return {
    found: `iptables in the helper image fails: ${reading.plain.said ?? '(it said nothing)'} (${backendWords(reading)})`,
    fix: working
      ? `${faults}: make iptables-${working}, which works, the image's iptables ` +
        `(update-alternatives --set iptables /usr/sbin/iptables-${working})`
      : `${faults}: the engine's kernel may lack netfilter (nf_tables or ip_tables modules); load them on the engine's host`,
  };
}

function chosenWords(chosenBy: HelperImageChoice): string {
  return chosenBy === 'default' ? 'the default' : 'named by FIREDRILL_HELPER_IMAGE';
}

function shortId(id: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(id) ? id.slice(0, 19) : id;
}
