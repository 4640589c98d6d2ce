import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { writeWorstInputs } from '../../fixtures/playbooks/worst-inputs.mjs';

/**
 * Inputs under the playbook limits that once made `validate` hang for minutes or run out of
 * memory (bench/validate-inputs.mjs measures them; this asserts the answer, not the time).
 * Every answer is a set of one-line messages, none longer than the messages allow.
 */

const dir = mkdtempSync(join(tmpdir(), 'firedrill-worst-'));
const inputs = new Map(writeWorstInputs(dir).map((input) => [input.file, input]));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(file: string): Promise<{ code: number; lines: string[] }> {
  let output = '';
  const code = await validateCommand([inputs.get(file)!.path], { out: (s) => (output += s) });
  return { code, lines: output.trimEnd().split('\n').map((line) => line.replace(`${inputs.get(file)!.path}:`, '')) };
}

// Generous: a loaded CI machine is slow; the bound that matters is in the benchmark.
const TIMEOUT = 60_000;

describe('validate answers the worst inputs we know', () => {
  it('passes the normal playbook they are compared with', async () => {
    expect(await validate('normal.yaml')).toEqual({ code: ExitCode.Passed, lines: ['1 playbook valid'] });
  }, TIMEOUT);

  it('19,999 aliases of one anchor: each looked up, none searched for', async () => {
    const { code, lines } = await validate('many-aliases.yaml');
    expect(code).toBe(ExitCode.Usage);
    expect(lines).toEqual([expect.stringMatching(/^8:1: unknown key "x-aliases" \(keys allowed here: /), '1 problem in 1 playbook']);
  }, TIMEOUT);

  it('19,999 wrong steps: every one reported, each at its own column', async () => {
    const { code, lines } = await validate('many-wrong-steps.yaml');
    expect(code).toBe(ExitCode.Usage);
    expect(lines).toHaveLength(20_000);
    expect(lines[0]).toBe('5:9: steps[0]: expected a mapping, got "wait"');
    expect(lines[19_998]).toBe('5:80001: steps[19998]: expected a mapping, got "wait"');
    expect(lines.at(-1)).toBe('19999 problems in 1 playbook');
  }, TIMEOUT);

  it('an alias chain 10,000 deep: its expansion is sized without being done', async () => {
    expect(await validate('alias-chain.yaml')).toEqual({
      code: ExitCode.Usage,
      lines: [
        '8:10: the document\'s aliases expand it by 50005000 values, more than the 20000 allowed (this looks like an alias bomb; use fewer "*alias" references)',
        '1 problem in 1 playbook',
      ],
    });
  }, TIMEOUT);

  it('50,000 top-level keys in 489 KB: refused by the token limit before the parse', async () => {
    expect(await validate('many-keys.yaml')).toEqual({
      code: ExitCode.Usage,
      lines: [
        '1:1: the document holds more than 100,000 YAML tokens (keys, values and punctuation), more than firedrill reads (is this the right file?)',
        '1 problem in 1 playbook',
      ],
    });
  }, TIMEOUT);

  it('14,000 unknown top-level keys: the first hundred one by one, the rest counted', async () => {
    const { code, lines } = await validate('fewer-keys.yaml');
    expect(code).toBe(ExitCode.Usage);
    expect(lines).toHaveLength(102);
    expect(lines[0]).toBe('6:1: unknown key "k00000" (keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)');
    expect(lines[100]).toBe('106:1: and 13,900 more unknown keys in this mapping, from here on (keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)');
    expect(lines[101]).toBe('101 problems in 1 playbook');
  }, TIMEOUT);

  it('a 40,000-character service name: checked against the compose file, echoed cut', async () => {
    const { code, lines } = await validate('long-service-name.yaml');
    expect(code).toBe(ExitCode.Usage);
    expect(lines).toEqual([
      `7:39: steps[0].inject.service: service "ledger-${'x'.repeat(52)}…" is not defined in the compose file (its services are "ledger-primary", "ledger-replica" and "gateway")`,
      '1 problem in 1 playbook',
    ]);
  }, TIMEOUT);

  it('a fault kind of a million characters: no suggestion sought, echoed cut', async () => {
    const { code, lines } = await validate('huge-fault-kind.yaml');
    expect(code).toBe(ExitCode.Usage);
    expect(lines).toEqual([
      `7:21: steps[0].inject.kind: unknown fault kind "${'k'.repeat(59)}…"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill"`,
      '1 problem in 1 playbook',
    ]);
  }, TIMEOUT);
});
