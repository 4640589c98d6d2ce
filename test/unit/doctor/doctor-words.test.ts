import { describe, expect, it } from 'vitest';
import { renderJson, renderText } from '../../../src/cli/commands/doctor.js';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { findingWords, verdictWords } from '../../../src/doctor/doctor-words.js';
import { finding, verdictOf, type Finding, type FindingCode } from '../../../src/doctor/findings.js';

const where = { endpoint: 'unix:///var/run/docker.sock', chosenBy: 'default-socket' as const };
const versions = { version: '27.3.1', apiVersion: '1.47' };
const reading = {
  backends: { nft: 'works' as const, legacy: 'fails' as const },
  plain: { state: 'works' as const, version: 'iptables v1.8.10 (nf_tables)' },
};

/** One finding of every code: a code added without its words, or without a sample here, does not compile. */
const SAMPLES: { [C in FindingCode]: Finding } = {
  'node.supported': finding('node', 'ok', 'node.supported', { version: '24.1.0' }),
  'node.unsupported': finding('node', 'fail', 'node.unsupported', { version: '20.20.2' }),
  'engine.answers': finding('engine', 'ok', 'engine.answers', { ...where, ...versions }),
  'engine.context-elsewhere': finding('engine', 'warn', 'engine.context-elsewhere', {
    ...where,
    ...versions,
    context: { name: 'colima', host: 'unix:///home/sre/.colima/default/docker.sock', selectedBy: 'config.json' },
  }),
  'engine.api-too-old': finding('engine', 'fail', 'engine.api-too-old', {
    ...where,
    version: '17.03.2-ce',
    apiVersion: '1.27',
    minimum: '1.30',
  }),
  'engine.unreachable': finding('engine', 'fail', 'engine.unreachable', {
    endpoint: 'tcp://10.1.2.3:2376',
    chosenBy: 'DOCKER_HOST',
    cause: 'connect ECONNREFUSED 10.1.2.3:2376',
  }),
  'compose.found': finding('compose', 'ok', 'compose.found', { v2: '2.29.1', v1: '1.29.2' }),
  'compose.missing': finding('compose', 'warn', 'compose.missing', {}),
  'helper-image.present': finding('helper-image', 'ok', 'helper-image.present', {
    image: 'netshoot:v1',
    id: `sha256:${'ab'.repeat(32)}`,
    chosenBy: 'FIREDRILL_HELPER_IMAGE',
  }),
  'helper-image.missing': finding('helper-image', 'fail', 'helper-image.missing', {
    image: 'firedrill-base:bookworm',
    chosenBy: 'default',
    endpoint: 'unix:///var/run/docker.sock',
  }),
  'iptables.works': finding('iptables', 'ok', 'iptables.works', reading),
  'iptables.unusable': finding('iptables', 'fail', 'iptables.unusable', {
    ...reading,
    plain: { state: 'fails', said: "can't initialize iptables table `filter'" },
  }),
  'netem.present': finding('netem', 'ok', 'netem.present', {}),
  'netem.absent': finding('netem', 'warn', 'netem.absent', { said: 'Error: Specified qdisc kind is unknown.' }),
  'netem.unknown': finding('netem', 'warn', 'netem.unknown', { said: 'exec: "tc": executable file not found in $PATH' }),
  'cgroup.version': finding('cgroup', 'ok', 'cgroup.version', { version: '2', driver: 'systemd', kernel: '6.8.0-45-generic' }),
  'cgroup.unknown': finding('cgroup', 'warn', 'cgroup.unknown', { apiVersion: '1.39' }),
  'runs-dir.writable': finding('runs-dir', 'ok', 'runs-dir.writable', { dir: 'evidence/runs', exists: true }),
  'runs-dir.not-writable': finding('runs-dir', 'fail', 'runs-dir.not-writable', {
    dir: '/srv/runs',
    at: '/srv',
    cause: "EACCES: permission denied, open '/srv/.probe'",
  }),
  'runs-dir.blocked': finding('runs-dir', 'fail', 'runs-dir.blocked', { dir: 'out/runs', at: '/home/sre/out' }),
  'not-checked.no-engine': finding('netem', 'not-checked', 'not-checked.no-engine', {}),
  'not-checked.no-helper-image': finding('iptables', 'not-checked', 'not-checked.no-helper-image', { image: 'firedrill-base:bookworm' }),
  'check.timed-out': finding('compose', 'fail', 'check.timed-out', { seconds: 10 }),
  'check.failed': finding('cgroup', 'fail', 'check.failed', { cause: '(HTTP code 500) server error' }),
};

describe('firedrill doctor: findings in words', () => {
  it('every finding says what was found; every warning and failure says what to do, and ok says nothing more', () => {
    for (const sample of Object.values(SAMPLES)) {
      const words = findingWords(sample);
      expect(words.found.length, sample.code).toBeGreaterThan(0);
      if (sample.status === 'warn' || sample.status === 'fail') expect(words.fix, sample.code).toMatch(/\w/);
      else expect(words.fix, sample.code).toBeUndefined();
    }
  });

  it('the engine line says which engine and how it was chosen', () => {
    expect(findingWords(SAMPLES['engine.answers']).found).toBe(
      'Docker Engine 27.3.1 (API 1.47) at unix:///var/run/docker.sock (the default socket: DOCKER_HOST is not set)',
    );
    expect(findingWords(SAMPLES['engine.unreachable'])).toEqual({
      found: 'no engine answers at tcp://10.1.2.3:2376 (from DOCKER_HOST): connect ECONNREFUSED 10.1.2.3:2376',
      fix: 'start the Docker daemon DOCKER_HOST names, or correct DOCKER_HOST',
    });
  });

  it('a docker context elsewhere is named, with the DOCKER_HOST that reaches it', () => {
    const words = findingWords(SAMPLES['engine.context-elsewhere']);
    const socket = 'unix:///home/sre/.colima/default/docker.sock';
    expect(words.found).toContain(
      `the docker and compose commands use context "colima" (${socket}, selected by config.json), which firedrill does not read`,
    );
    expect(words.fix).toBe(
      `to drill on the context's engine, export DOCKER_HOST=${socket}; ` +
        'to use this engine with docker and compose too, run `docker context use default`',
    );
  });

  it('compose lists what answers and which one firedrill uses', () => {
    expect(findingWords(SAMPLES['compose.found']).found).toBe(
      'docker compose 2.29.1 (v2) and docker-compose 1.29.2; firedrill uses docker compose',
    );
    expect(findingWords(finding('compose', 'ok', 'compose.found', { v1: '1.29.2' })).found).toBe(
      'docker-compose 1.29.2; docker compose (v2) is not installed; firedrill uses docker-compose',
    );
  });

  it('iptables that fails points at the backend that works', () => {
    expect(findingWords(SAMPLES['iptables.unusable']).fix).toContain("make iptables-nft, which works, the image's iptables");
  });

  it('the verdict counts failures, skips and warnings', () => {
    expect(verdictWords(verdictOf([SAMPLES['node.supported'], SAMPLES['netem.absent'], SAMPLES['compose.missing']]))).toBe(
      'ready: drills can run here (2 warnings)',
    );
    expect(verdictWords(verdictOf([SAMPLES['engine.unreachable'], SAMPLES['not-checked.no-engine']]))).toBe(
      'not ready: 1 check failed, 1 not checked — fix it and run `firedrill doctor` again',
    );
  });

  it('--json has the stable shape, with the same words as the text', () => {
    const report = verdictOf([SAMPLES['helper-image.missing'], SAMPLES['node.supported'], SAMPLES['not-checked.no-helper-image']]);
    const json = JSON.parse(renderJson(report)) as {
      ready: boolean;
      checks: { id: string; status: string; found: string; fix?: string }[];
    };
    expect(json.ready).toBe(false);
    expect(json.checks.map((c) => Object.keys(c))).toEqual([
      ['id', 'status', 'found'],
      ['id', 'status', 'found', 'fix'],
      ['id', 'status', 'found'],
    ]);
    expect(json.checks.map((c) => [c.id, c.status])).toEqual([
      ['node', 'ok'],
      ['helper-image', 'fail'],
      ['iptables', 'not-checked'],
    ]);
    const text = renderText(report, paintFor(false));
    for (const check of json.checks) {
      expect(text).toContain(check.found);
      if (check.fix) expect(text).toContain(`fix: ${check.fix}`);
    }
  });

  it('text has colour only when asked for', () => {
    const report = verdictOf([SAMPLES['node.supported'], SAMPLES['engine.unreachable']]);
    expect(renderText(report, paintFor(false))).not.toMatch(/\u001b\[/);
    expect(renderText(report, paintFor(true))).toMatch(/\u001b\[31mfail/);
  });
});
