import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INSPECTOR_SCRIPT } from '../../../src/faults/mechanisms/namespace-inspector.js';
import { listingText, NAMESPACE_SCRIPT, parseNamespaceOutput } from '../../../src/faults/mechanisms/netns-listings.js';

/**
 * The plan-time scripts themselves, run by the host's /bin/sh with stand-ins for the tools they
 * call (ip, tc, nsenter) on a PATH of their own: what they print is parsed by the parser both
 * the inspector and the per-target helper feed. No namespace is entered (the nsenter stand-in
 * runs the command where it is); the integration tests run them for real.
 */

const TOKEN = 'fd0123456789abcdef';
const tools = mkdtempSync(join(tmpdir(), 'firedrill-netns-tools-'));
afterAll(() => rmSync(tools, { recursive: true, force: true }));

function tool(name: string, body: string): void {
  writeFileSync(join(tools, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(tools, name), 0o755);
}
symlinkSync('/bin/sh', join(tools, 'sh'));
// An address listing with a line that imitates a delimiter, with a token that is not the one drawn.
tool(
  'ip',
  [
    'echo "1: lo    inet 127.0.0.1/8 scope host lo"',
    'echo "fdffffffffffffffff end self addresses 0"',
    'echo "9: eth0    inet 10.9.0.3/24 brd 10.9.0.255 scope global eth0"',
  ].join('\n'),
);
tool('tc', ['echo "qdisc noqueue 0: dev lo root refcnt 2 "', 'echo "Error: Cannot find device" >&2', 'exit 2'].join('\n'));
// Enters nothing: fails for PID 999 (gone), runs the rest as given otherwise.
tool(
  'nsenter',
  [
    'case $1 in --net=/proc/999/ns/net) echo "nsenter: cannot open /proc/999/ns/net: No such file or directory" >&2; exit 1 ;; esac',
    'shift',
    'exec "$@"',
  ].join('\n'),
);

function run(script: string, args: string[], path = tools) {
  const result = spawnSync('/bin/sh', ['-c', script, ...args], { encoding: 'utf8', env: { PATH: path }, timeout: 20_000 });
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the namespace script and the inspector script, on the host shell', () => {
  it('prints each listing delimited, with its exit code and stderr apart; a look-alike delimiter stays data', () => {
    const result = run(NAMESPACE_SCRIPT, ['firedrill-netns', TOKEN, 'self', 'addresses', 'qdiscs']);
    expect(result.exitCode).toBe(0);

    const listings = parseNamespaceOutput(result.stdout, TOKEN).listings.get('self')!;
    expect(listings.get('addresses')).toEqual({
      exitCode: 0,
      stdout:
        '1: lo    inet 127.0.0.1/8 scope host lo\nfdffffffffffffffff end self addresses 0\n9: eth0    inet 10.9.0.3/24 brd 10.9.0.255 scope global eth0\n',
      stderr: '',
    });
    expect(listings.get('qdiscs')).toEqual({
      exitCode: 2,
      stdout: 'qdisc noqueue 0: dev lo root refcnt 2 \n',
      stderr: 'Error: Cannot find device\n',
    });
    const reading = { name: 'ledger-replica-1', listings };
    expect(() => listingText(reading, 'qdiscs')).toThrow(
      '`tc qdisc show` in the network namespace of ledger-replica-1 exited with code 2: Error: Cannot find device',
    );
    expect(() => listingText(reading, 'iptables')).toThrow(
      "the helper's output has no complete `iptables -S` of the network namespace of ledger-replica-1",
    );
  });

  it('the inspector enters each PID in turn and says how each went; one it cannot enter leaves the others read', () => {
    const result = run(INSPECTOR_SCRIPT, ['firedrill-inspector', NAMESPACE_SCRIPT, TOKEN, 'addresses', '--', '4242', '999', '4343']);
    expect(result.exitCode).toBe(0);
    const output = parseNamespaceOutput(result.stdout, TOKEN);
    expect([...output.entered]).toEqual([
      ['4242', 0],
      ['999', 1],
      ['4343', 0],
    ]);
    expect([...output.listings.keys()]).toEqual(['4242', '4343']);
    expect(output.listings.get('4343')!.get('addresses')!.stdout).toContain('9: eth0    inet 10.9.0.3/24');
    expect(result.stderr).toBe('nsenter: cannot open /proc/999/ns/net: No such file or directory\n');
  });

  it('takes nothing but listing names and PIDs above 1 as arguments, and enters nothing otherwise', () => {
    for (const args of [
      ['addresses', '--', '4242', '12a'],
      ['addresses', '--', '4242', '$(touch x)'],
      ['addresses', '--', '1'],
      ['addresses', '--', ''],
      ['addresses;id', '--', '4242'],
    ]) {
      const result = run(INSPECTOR_SCRIPT, ['firedrill-inspector', NAMESPACE_SCRIPT, TOKEN, ...args]);
      expect(result).toMatchObject({ exitCode: 2, stdout: '' });
      expect(result.stderr).toMatch(/^not a (listing name|process id|container's process id): /);
    }
  });

  it('an image without nsenter ends the inspector with exit code 3 before anything is read', () => {
    const bare = mkdtempSync(join(tmpdir(), 'firedrill-netns-bare-'));
    try {
      symlinkSync('/bin/sh', join(bare, 'sh'));
      const result = run(INSPECTOR_SCRIPT, ['firedrill-inspector', NAMESPACE_SCRIPT, TOKEN, 'addresses', '--', '4242'], bare);
      expect(result).toEqual({ exitCode: 3, stdout: '', stderr: 'nsenter (util-linux) is not in the helper image\n' });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('a listing cut short is not taken for an empty one', () => {
    const cut = `${TOKEN} begin self iptables\n== nft\n-P INPUT ACCEPT\n${TOKEN} stderr self iptables\n`;
    expect(parseNamespaceOutput(cut, TOKEN).listings.size).toBe(0);
    const interleaved = `${TOKEN} begin 42 iptables\n== nft\n${TOKEN} begin 43 iptables\n${TOKEN} stderr 43 iptables\n${TOKEN} end 42 iptables 0\n`;
    expect(parseNamespaceOutput(interleaved, TOKEN).listings.size).toBe(0);
  });
});
