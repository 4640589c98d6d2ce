import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { firedrill } from './cli-process.js';

/** `firedrill doctor --json` as a user's script reads it. */
interface DoctorJson {
  ready: boolean;
  checks: { id: string; status: 'ok' | 'warn' | 'fail' | 'not-checked'; found: string; fix?: string }[];
}

const CHECKS = ['node', 'engine', 'compose', 'helper-image', 'iptables', 'netem', 'cgroup', 'runs-dir'];
const ON_THE_ENGINE = ['helper-image', 'iptables', 'netem', 'cgroup'];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'firedrill-e2e-doctor-'));
}

function parsed(stdout: unknown): DoctorJson {
  const document = JSON.parse(String(stdout)) as DoctorJson;
  expect(Object.keys(document)).toEqual(['ready', 'checks']);
  expect(document.checks.map((check) => check.id)).toEqual(CHECKS);
  for (const check of document.checks) {
    expect(Object.keys(check).filter((key) => !['id', 'status', 'found', 'fix'].includes(key))).toEqual([]);
    expect(check.found).toMatch(/\w/);
  }
  return document;
}

function check(document: DoctorJson, id: string) {
  return document.checks.find((c) => c.id === id)!;
}

/** Helper containers doctor ran and left: it must leave none. */
async function doctorHelpers(): Promise<string> {
  return (await execa('docker', ['ps', '-aq', '--filter', 'label=firedrill.doctor'])).stdout.trim();
}

describe('firedrill doctor', () => {
  it('on a healthy machine: ready, exit 0, each check ok or warn, saying what this engine and compose say of themselves', async () => {
    const runsDir = join(scratch(), 'evidence', 'runs');
    const result = await firedrill(['doctor', '--json', '--runs-dir', runsDir]);
    expect(result.exitCode).toBe(0);
    const document = parsed(result.stdout);
    expect(document.ready).toBe(true);
    for (const c of document.checks) expect(['ok', 'warn'], `${c.id}: ${c.found}`).toContain(c.status);

    const server = (await execa('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})'])).stdout.trim();
    expect(check(document, 'engine').found).toContain(`Docker Engine ${server} at `);
    const cgroup = (await execa('docker', ['info', '--format', '{{.CgroupVersion}}'])).stdout.trim();
    expect(check(document, 'cgroup').found).toMatch(new RegExp(`^cgroup v${cgroup}\\b`));
    const v1 = await execa('docker-compose', ['version', '--short'], { reject: false });
    if (v1.exitCode === 0) expect(check(document, 'compose').found).toContain(`docker-compose ${v1.stdout.trim()}`);
    expect(check(document, 'helper-image').found).toMatch(/^firedrill-base:bookworm \(sha256:[0-9a-f]{12}\), the default$/);
    expect(check(document, 'iptables')).toMatchObject({ status: 'ok' });
    expect(check(document, 'runs-dir').found).toContain('does not exist yet');
    // Nothing left behind: no runs directory made, no probe file, no helper.
    expect(readdirSync(join(runsDir, '..', '..'))).toEqual([]);
    expect(await doctorHelpers()).toBe('');

    const text = await firedrill(['doctor', '--runs-dir', runsDir]);
    expect(text.exitCode).toBe(0);
    const lines = String(text.stdout).trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^ready: drills can run here/);
    for (const c of document.checks) expect(String(text.stdout)).toContain(c.found);
    expect(String(text.stdout)).not.toMatch(/\u001b\[/);
  });

  it('without an engine: exit 3, the engine check fails with a fix, what needs the engine is not checked', async () => {
    const socket = `unix:///nonexistent/firedrill-doctor-${randomBytes(4).toString('hex')}.sock`;
    const runsDir = scratch();
    const result = await firedrill(['doctor', '--json', '--runs-dir', runsDir], { env: { DOCKER_HOST: socket } });
    expect(result.exitCode).toBe(3);
    const document = parsed(result.stdout);
    expect(document.ready).toBe(false);
    expect(check(document, 'engine')).toEqual({
      id: 'engine',
      status: 'fail',
      found: `no engine answers at ${socket} (from DOCKER_HOST): connect ENOENT ${socket.slice('unix://'.length)}`,
      fix: 'start the Docker daemon DOCKER_HOST names, or correct DOCKER_HOST',
    });
    for (const id of ON_THE_ENGINE) expect(check(document, id)).toEqual({ id, status: 'not-checked', found: 'not checked: no engine' });
    expect(check(document, 'node').status).toBe('ok');
    expect(check(document, 'runs-dir')).toEqual({ id: 'runs-dir', status: 'ok', found: `${runsDir} is writable` });
    expect(readdirSync(runsDir)).toEqual([]);

    const text = await firedrill(['doctor', '--runs-dir', runsDir], { env: { DOCKER_HOST: socket } });
    expect(text.exitCode).toBe(3);
    expect(String(text.stdout)).toMatch(/^fail {2}Docker Engine {3}no engine answers at /m);
    expect(String(text.stdout)).toContain('fix: start the Docker daemon DOCKER_HOST names, or correct DOCKER_HOST');
    expect(String(text.stdout).trimEnd().split('\n').at(-1)).toBe(
      'not ready: 1 check failed, 4 not checked — fix it and run `firedrill doctor` again',
    );
  });

  it('without the helper image: exit 3, that check fails naming the image, iptables and netem are not checked', async () => {
    const image = `firedrill-doctor-missing:${randomBytes(4).toString('hex')}`;
    const result = await firedrill(['doctor', '--json', '--runs-dir', scratch()], { env: { FIREDRILL_HELPER_IMAGE: image } });
    expect(result.exitCode).toBe(3);
    const document = parsed(result.stdout);
    expect(document.ready).toBe(false);
    const helper = check(document, 'helper-image');
    expect(helper.status).toBe('fail');
    expect(helper.found).toMatch(new RegExp(`^${image} \\(named by FIREDRILL_HELPER_IMAGE\\) is not on the engine at \\S+$`));
    expect(helper.fix).toContain(`build or load ${image} on that engine, or unset FIREDRILL_HELPER_IMAGE`);
    for (const id of ['iptables', 'netem'])
      expect(check(document, id)).toEqual({ id, status: 'not-checked', found: `not checked: no helper image (${image})` });
    expect(check(document, 'engine').status).toMatch(/^(ok|warn)$/);
    expect(check(document, 'cgroup').status).toBe('ok');
  });
});
