import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../../src/topology/compose-interpolation.js';
import { publishedPorts } from '../../../src/topology/compose-ports.js';

describe('publishedPorts', () => {
  it('reads the short form: host address, ranges, protocol', () => {
    expect(publishedPorts({ ports: ['127.0.0.1:18080:80', '8081:81/tcp', '5353:53/udp', '9000-9001:90-91'] })).toEqual([
      { hostPort: 18080, containerPort: 80, protocol: 'tcp' },
      { hostPort: 8081, containerPort: 81, protocol: 'tcp' },
      { hostPort: 5353, containerPort: 53, protocol: 'udp' },
      { hostPort: 9000, containerPort: 90, protocol: 'tcp' },
      { hostPort: 9001, containerPort: 91, protocol: 'tcp' },
    ]);
  });

  it('reads the long form', () => {
    expect(
      publishedPorts({
        ports: [
          { target: 80, published: '8080', host_ip: '127.0.0.1' },
          { target: 443, published: 8443 },
        ],
      }),
    ).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostPort: 8443, containerPort: 443, protocol: 'tcp' },
    ]);
  });

  it('leaves out what a probe on this machine cannot use', () => {
    // A random host port, another host address, IPv6 only, an empty host port, a variable without a default.
    expect(
      publishedPorts({ ports: ['80', 80, '10.0.0.5:8080:80', '[::1]:8080:80', '127.0.0.1::80', '${PORT}:80', { target: 80 }] }),
    ).toEqual([]);
  });

  it('takes a variable at its default and says where it came from', () => {
    expect(publishedPorts({ ports: ['127.0.0.1:${WEB_PORT:-18080}:80'] })).toEqual([
      { hostPort: 18080, containerPort: 80, protocol: 'tcp', fromDefault: '127.0.0.1:${WEB_PORT:-18080}:80' },
    ]);
  });
});

describe('withDefaults', () => {
  it('fills defaults, keeps $$ as $, and gives up on variables without one', () => {
    expect(withDefaults('${A:-x}-${B-y}-$$HOME')).toEqual({ text: 'x-y-$HOME', variables: ['A', 'B'], withoutDefault: [] });
    expect(withDefaults('${A}')).toEqual({ variables: ['A'], withoutDefault: ['A'] });
    expect(withDefaults('$A/b')).toEqual({ variables: ['A'], withoutDefault: ['A'] });
    expect(withDefaults('${A:?required}')).toEqual({ variables: ['A'], withoutDefault: ['A'] });
    expect(withDefaults('${A:-x}-${B}')).toEqual({ variables: ['A', 'B'], withoutDefault: ['B'] });
    expect(withDefaults('plain')).toEqual({ text: 'plain', variables: [], withoutDefault: [] });
  });
});
