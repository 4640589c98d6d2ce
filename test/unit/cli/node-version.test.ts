import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module of the bin/ launcher, without types
import { unsupportedNodeMessage } from '../../../bin/node-support.js';

const BIN = fileURLToPath(new URL('../../../bin/firedrill.js', import.meta.url));
const message = unsupportedNodeMessage as (version: string) => string | undefined;

/** Node binaries on this machine older than 22 (the machine's own Node is 20 here), besides the one running the tests. */
function oldNodesOnPath(): string[] {
  const found = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const candidate = `${dir}/node`;
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (Number.parseInt(version, 10) < 22) found.add(candidate);
    } catch {
      // not there, or not runnable
    }
  }
  return [...found];
}

describe('bin/firedrill.js checks the Node.js version before it imports anything else', () => {
  it('accepts the versions package.json promises and refuses the others', () => {
    const engines = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines).toBe('^22.13.0 || >=24.0.0');
    for (const supported of ['22.13.0', '22.20.1', '24.0.0', '24.22.3', '26.1.0']) expect(message(supported)).toBeUndefined();
    for (const refused of ['18.20.8', '20.20.2', '21.7.3', '22.12.0', '23.11.1']) expect(message(refused)).toContain(`Node.js ${refused}`);
    expect(message('20.20.2')).toContain('end of life in April 2026');
  });

  it('a Node.js 20 gets exit 3 and says which Node it found, which are supported and how to get one', async () => {
    // The Node running the tests, told it is 20.20.2 before the launcher runs…
    const faked = execa(
      process.execPath,
      [
        '--import',
        'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"})',
        BIN,
        'validate',
        'drills/region-loss.yaml',
      ],
      { reject: false, all: true },
    );
    // …and every real Node older than 22 this machine has (Debian's Node 20 here and in CI).
    const real = oldNodesOnPath().map((node) => execa(node, [BIN, 'validate', 'drills/region-loss.yaml'], { reject: false, all: true }));
    for (const result of await Promise.all([faked, ...real])) {
      expect(result.exitCode, result.all).toBe(3);
      expect(result.stderr).toMatch(/^firedrill cannot run on Node\.js 2\d\.\d+\.\d+ \(Node\.js 20 reached end of life in April 2026\)\./);
      expect(result.stderr).toContain('Node.js 22.13 or later in the 22 line, or 24 and later');
      expect(result.stderr).toContain('https://nodejs.org/en/download');
      expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      expect(result.stdout).toBe('');
    }
  });
});
