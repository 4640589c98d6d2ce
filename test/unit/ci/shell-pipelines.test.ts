import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Under `set -o pipefail`, `writer | head -n 1` fails at random: when head has its line and
 * exits, the writer dies of SIGPIPE (exit 141) and the pipeline fails with it. Seen in CI one
 * run in three. The same holds for every reader that stops early (`grep -q`, `grep -m N`,
 * `sed -n …q`, `awk … exit`). Scripts capture the output first and cut it afterwards.
 */

const ROOT = join(import.meta.dirname, '../../..');
const SCRIPT_DIRS = ['.ci', 'templates', 'bench', 'test', 'bin', 'drills'];
const EARLY_EXIT_READER = /\|\s*(head\b|grep\s+(-[a-zA-Z]*[qm]|--quiet|--max-count)|sed\s+(-n\s+)?['"]?\d*q|awk\b[^|]*\bexit\b)/;

/** Lines of a shell script that pipe into a reader that may exit early, while pipefail is set. */
function earlyExitPipes(script: string): string[] {
  if (!/\bset\b[^\n]*\s-[a-z]*o\s+pipefail/.test(script)) return [];
  // A pipeline may continue over lines ending with a backslash, or on a line starting with '|'.
  const logical = script.replace(/\\\n\s*/g, ' ').replace(/\n\s*\|/g, ' |');
  return logical
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .filter((line) => EARLY_EXIT_READER.test(line.replace(/\|\|/g, '')));
}

function shellScripts(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...shellScripts(path));
    else if (entry.isFile() && statSync(path).size < 1_000_000 && isShell(path)) found.push(path);
  }
  return found;
}

function isShell(path: string): boolean {
  if (path.endsWith('.sh')) return true;
  const head = readFileSync(path, 'utf8').slice(0, 64);
  return /^#!.*\b(ba|da|z)?sh\b/.test(head);
}

describe('shell scripts never pipe into a reader that exits early under pipefail', () => {
  it('recognises the pattern that failed CI one run in three', () => {
    const before = 'set -euo pipefail\nxmllint --version 2>&1 | head -n 1\n';
    expect(earlyExitPipes(before)).toEqual(['xmllint --version 2>&1 | head -n 1']);
    const continued = "set -euo pipefail\nmirror=$(grep -rh x /etc/apt \\\n  | head -n1 | grep -oE 'y' || true)\n";
    expect(earlyExitPipes(continued)).toHaveLength(1);
    expect(earlyExitPipes('set -eu -o pipefail\ndocker ps | grep -q web\n')).toHaveLength(1);
  });

  it('leaves readers that drain their input, and scripts without pipefail, alone', () => {
    expect(earlyExitPipes('set -euo pipefail\nv=$(xmllint --version 2>&1)\necho "${v%%$\'\\n\'*}"\n')).toEqual([]);
    expect(earlyExitPipes("set -uo pipefail\na=$(getent hosts x | awk 'NR == 1 { print $1 }')\n")).toEqual([]);
    expect(earlyExitPipes('set -eu\nls | head -n 1\n')).toEqual([]);
    expect(earlyExitPipes('set -euo pipefail\ncommand -v x >/dev/null || echo no\n')).toEqual([]);
  });

  it('holds for every script in the project', () => {
    const scripts = SCRIPT_DIRS.flatMap((dir) => {
      try {
        return shellScripts(join(ROOT, dir));
      } catch {
        return [];
      }
    });
    expect(scripts.map((path) => relative(ROOT, path))).toContain('.ci/install-test-tools.sh');
    const offenders = scripts.flatMap((path) =>
      earlyExitPipes(readFileSync(path, 'utf8')).map((line) => `${relative(ROOT, path)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
