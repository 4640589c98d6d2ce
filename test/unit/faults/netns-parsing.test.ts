import { describe, expect, it } from 'vitest';
import { firedrillLines, markedLines, parseListing, splitWords } from '../../../src/faults/mechanisms/firewall.js';
import { shellWords } from '../../../src/faults/mechanisms/netns-helper.js';
import { parseAddresses, parseQdiscs } from '../../../src/faults/mechanisms/traffic-control.js';

// Outputs as iptables 1.8.9 (nft), iproute2 6.1 and Engine 20.10 containers print them.
const IPTABLES_S = [
  '-P INPUT ACCEPT',
  '-P FORWARD ACCEPT',
  '-P OUTPUT ACCEPT',
  '-A INPUT -s 172.20.0.4/32 -m comment --comment "firedrill:cut" -j DROP',
  '-A INPUT -s 172.20.0.4/32 -m comment --comment "firedrill:cut-2" -j DROP',
  '-A INPUT -p tcp -m tcp --dport 9999 -m comment --comment "not firedrill:cut" -j ACCEPT',
  '-A OUTPUT -d 172.20.0.4/32 -m comment --comment firedrill:cut -j DROP',
];

describe('reading iptables, ip and tc output', () => {
  it('finds the rules whose comment is exactly the mark, quoted or not', () => {
    expect(markedLines(IPTABLES_S, 'firedrill:cut')).toEqual([IPTABLES_S[3], IPTABLES_S[6]]);
    expect(markedLines(IPTABLES_S, 'firedrill:cut-2')).toEqual([IPTABLES_S[4]]);
    expect(markedLines(IPTABLES_S, 'firedrill:other')).toEqual([]);
  });

  it('finds the rules carrying any firedrill mark, and only those', () => {
    expect(firedrillLines(IPTABLES_S)).toEqual([IPTABLES_S[3], IPTABLES_S[4], IPTABLES_S[6]]);
  });

  it('reads the listing of both backends, and refuses one that names none', () => {
    const output = ['== nft', ...IPTABLES_S.slice(0, 4), '== legacy', '-P INPUT ACCEPT', '-A INPUT -j DROP', ''].join('\n');
    expect(parseListing(output)).toEqual([
      { backend: 'nft', lines: IPTABLES_S.slice(0, 4) },
      { backend: 'legacy', lines: ['-P INPUT ACCEPT', '-A INPUT -j DROP'] },
    ]);
    expect(parseListing('== nft\n')).toEqual([{ backend: 'nft', lines: [] }]);
    expect(() => parseListing('')).toThrow(/listed no iptables backend/);
    expect(() => parseListing(IPTABLES_S.join('\n'))).toThrow(/does not say which backend/);
  });

  it('splits words as iptables quotes them', () => {
    expect(splitWords('-A INPUT -m comment --comment "two words" -j DROP')).toEqual([
      '-A',
      'INPUT',
      '-m',
      'comment',
      '--comment',
      'two words',
      '-j',
      'DROP',
    ]);
    expect(splitWords('--comment "say \\"hi\\"" ""')).toEqual(['--comment', 'say "hi"', '']);
  });

  it('quotes for a shell only what needs it', () => {
    expect(shellWords(['iptables', '-I', 'INPUT', '!', '-i', 'lo', '--comment', 'firedrill:x'])).toBe(
      "iptables -I INPUT '!' -i lo --comment firedrill:x",
    );
    expect(shellWords(['sh', '-c', "echo 'hi'"])).toBe(`sh -c 'echo '\\''hi'\\'''`);
  });

  it('reads interfaces and their IPv4 addresses from ip -o addr show, IPv6 left out', () => {
    const output = [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
      '3299: eth0    inet 172.20.0.5/16 brd 172.20.255.255 scope global eth0\\       valid_lft forever preferred_lft forever',
      '3299: eth0    inet6 fd00:20::5/64 scope global nodad \\       valid_lft forever preferred_lft forever',
      '3301: eth1@if3302    inet 172.21.0.5/16 brd 172.21.255.255 scope global eth1\\       valid_lft forever preferred_lft forever',
    ].join('\n');
    expect(parseAddresses(output)).toEqual([
      { device: 'lo', ipv4: '127.0.0.1' },
      { device: 'eth0', ipv4: '172.20.0.5' },
      { device: 'eth1', ipv4: '172.21.0.5' },
    ]);
  });

  it('reads root qdiscs and their handles from tc qdisc show', () => {
    const output = [
      'qdisc noqueue 0: dev lo root refcnt 2 ',
      'qdisc netem 8e3a: dev eth0 root refcnt 2 limit 1000 delay 200ms  20ms',
      'qdisc pfifo 10: dev eth1 parent 8e3a:1 limit 1000p',
    ].join('\n');
    expect(parseQdiscs(output)).toEqual([
      { kind: 'noqueue', handle: '0:', device: 'lo', root: true },
      { kind: 'netem', handle: '8e3a:', device: 'eth0', root: true },
      { kind: 'pfifo', handle: '10:', device: 'eth1', root: false },
    ]);
  });
});
