import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { writeWorstInputs } from '../../fixtures/playbooks/worst-inputs.mjs';

/**
 * Inputs under the 1 MiB limit that once made `validate` hang for minutes or run out of memory,
 * and the largest of each kind within the 50,000-token limit (bench/validate-inputs.mjs
 * measures them; this asserts the answer, not the time). Long values are echoed cut.
 */

const dir = mkdtempSync(join(tmpdir(), 'firedrill-worst-'));
const inputs = new Map(writeWorstInputs(dir).map((input) => [input.file, input]));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(file: string): Promise<{ code: number; lines: string[] }> {
  let output = '';
  const code = await validateCommand([inputs.get(file)!.path], { out: (s) => (output += s) });
  return {
    code,
    lines: output
      .trimEnd()
      .split('\n')
      .map((line) => line.replace(`${inputs.get(file)!.path}:`, '')),
  };
}

// Generous: a loaded CI machine is slow; the bound that matters is in the benchmark.
const TIMEOUT = 60_000;

describe('validate answers the worst inputs we know', () => {
  it(
    'passes the normal playbook they are compared with',
    async () => {
      expect(await validate('normal.yaml')).toEqual({ code: ExitCode.Passed, lines: ['1 playbook valid'] });
    },
    TIMEOUT,
  );

  it(
    'the reported cases beyond the token limit are refused before the parse',
    async () => {
      for (const file of ['many-aliases.yaml', 'alias-chain.yaml', 'many-keys.yaml']) {
        expect(await validate(file), file).toEqual({
          code: ExitCode.Usage,
          lines: [
            '1:1: the document holds more than 50,000 YAML tokens (keys, values and punctuation), more than firedrill reads (is this the right file?)',
            '1 problem in 1 playbook',
          ],
        });
      }
    },
    TIMEOUT,
  );

  it(
    '16,000 aliases of one anchor: each looked up, none searched for',
    async () => {
      const { code, lines } = await validate('aliases-within-limit.yaml');
      expect(code).toBe(ExitCode.Usage);
      expect(lines).toEqual([expect.stringMatching(/^8:1: unknown key "x-aliases" \(keys allowed here: /), '1 problem in 1 playbook']);
    },
    TIMEOUT,
  );

  it(
    'an alias chain 5,000 deep: its expansion is sized without being done',
    async () => {
      expect(await validate('chain-within-limit.yaml')).toEqual({
        code: ExitCode.Usage,
        lines: [
          '8:10: the document\'s aliases expand it by 12502500 values, more than the 20000 allowed (this looks like an alias bomb; use fewer "*alias" references)',
          '1 problem in 1 playbook',
        ],
      });
    },
    TIMEOUT,
  );

  it(
    '7,000 unknown top-level keys: the first hundred one by one, the rest counted',
    async () => {
      const { code, lines } = await validate('keys-within-limit.yaml');
      expect(code).toBe(ExitCode.Usage);
      expect(lines).toHaveLength(102);
      const allowed =
        '(keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)';
      expect(lines[0]).toBe(`6:1: unknown key "k00000" ${allowed}`);
      expect(lines[100]).toBe(`106:1: and 6,900 more unknown keys in this mapping, from here on ${allowed}`);
      expect(lines[101]).toBe('101 problems in 1 playbook');
    },
    TIMEOUT,
  );

  it(
    '16,000 wrong steps: every one reported, each at its own column',
    async () => {
      const { code, lines } = await validate('wrong-steps-within-limit.yaml');
      expect(code).toBe(ExitCode.Usage);
      expect(lines).toHaveLength(16_001);
      expect(lines[0]).toBe('5:9: steps[0]: expected a mapping, got "wait"');
      expect(lines[15_999]).toBe('5:64005: steps[15999]: expected a mapping, got "wait"');
      expect(lines.at(-1)).toBe('16000 problems in 1 playbook');
    },
    TIMEOUT,
  );

  it(
    'a 40,000-character service name: checked against the compose file, echoed cut',
    async () => {
      const { code, lines } = await validate('long-service-name.yaml');
      expect(code).toBe(ExitCode.Usage);
      expect(lines).toEqual([
        `7:39: steps[0].inject.service: service "ledger-${'x'.repeat(52)}…" is not defined in the compose file (its services are "ledger-primary", "ledger-replica" and "gateway")`,
        '1 problem in 1 playbook',
      ]);
    },
    TIMEOUT,
  );

  it(
    'a fault kind of a million characters: no suggestion sought, echoed cut',
    async () => {
      const { code, lines } = await validate('huge-fault-kind.yaml');
      expect(code).toBe(ExitCode.Usage);
      expect(lines).toEqual([
        `7:21: steps[0].inject.kind: unknown fault kind "${'k'.repeat(59)}…"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill"`,
        '1 problem in 1 playbook',
      ]);
    },
    TIMEOUT,
  );
});
