import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IPTABLES_PROBE_SCRIPT, parseIptablesProbe } from '../../../src/doctor/helper-checks.js';

/**
 * The iptables probe, run by the host's /bin/sh with stand-ins for the image's tools on a PATH
 * of their own; the e2e test runs it in the real helper image.
 */

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function image(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-iptables-tools-'));
  made.push(dir);
  for (const name of ['sh', 'tr']) symlinkSync(name === 'sh' ? '/bin/sh' : '/usr/bin/tr', join(dir, name));
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function probe(path: string) {
  const result = spawnSync('/bin/sh', ['-c', IPTABLES_PROBE_SCRIPT], { encoding: 'utf8', env: { PATH: path }, timeout: 20_000 });
  expect(result.status).toBe(0);
  return parseIptablesProbe(result.stdout);
}

const works = 'case "$1" in --version) echo "iptables v1.8.9 (nf_tables)" ;; *) echo "-P INPUT ACCEPT" ;; esac';
const CANNOT = "iptables v1.8.9 (legacy): can't initialize iptables table `filter': Table does not exist";
const UPGRADE = 'Perhaps iptables or your kernel needs to be upgraded.';
const fails = `echo "${CANNOT.replace('`', '\\`')}" >&2\necho "${UPGRADE}" >&2\nexit 3`;

describe('firedrill doctor: the iptables probe', () => {
  it('tells each backend apart, and which version the plain iptables is', () => {
    expect(probe(image({ 'iptables-nft': works, 'iptables-legacy': fails, iptables: works }))).toEqual({
      backends: { nft: 'works', legacy: 'fails' },
      plain: { state: 'works', version: 'iptables v1.8.9 (nf_tables)' },
    });
  });

  it('a plain iptables that fails keeps what it said, on one line', () => {
    expect(probe(image({ 'iptables-legacy': fails, iptables: fails }))).toEqual({
      backends: { nft: 'absent', legacy: 'fails' },
      plain: {
        state: 'fails',
        said: `${CANNOT} ${UPGRADE}`,
      },
    });
  });

  it('an image without iptables says so', () => {
    expect(probe(image({}))).toEqual({ backends: { nft: 'absent', legacy: 'absent' }, plain: { state: 'absent' } });
  });
});
