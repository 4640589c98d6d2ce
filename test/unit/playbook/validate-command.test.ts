import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closingLine, validateCommand } from '../../../src/cli/commands/validate.js';
import { ExitCode } from '../../../src/exit-codes.js';

const fixtures = fileURLToPath(new URL('../../fixtures/playbooks/', import.meta.url));
const valid = `${fixtures}valid/explicit-project.yaml`;
const otherValid = `${fixtures}valid/region-failover.yaml`;
const twoActions = `${fixtures}invalid/two-actions.yaml`;

async function run(files: string[], json = false): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await validateCommand(files, { json, out: (s) => (output += s) });
  return { code, output };
}

describe('firedrill validate', () => {
  it('prints every issue as file:line:column: message (hint) and a closing line', async () => {
    const { code, output } = await run([valid, twoActions]);
    expect(code).toBe(ExitCode.Usage);
    expect(output).toBe(
      [
        `${twoActions}:7:5: steps[0]: a step takes exactly one of inject, wait, run, manual, notify, pause; this one has inject and pause`,
        `${twoActions}:10:5: steps[1]: a step needs exactly one of: inject, wait, run, manual, notify, pause`,
        '2 problems in 1 of 2 playbooks',
        '',
      ].join('\n'),
    );
  });

  it('passes valid playbooks with a count', async () => {
    expect(await run([valid, otherValid])).toEqual({ code: ExitCode.Passed, output: '2 playbooks valid\n' });
    expect(await run([valid])).toEqual({ code: ExitCode.Passed, output: '1 playbook valid\n' });
  });

  it('prints one JSON document with --json', async () => {
    const { code, output } = await run([valid, twoActions], true);
    expect(code).toBe(ExitCode.Usage);
    const document = JSON.parse(output) as {
      valid: boolean;
      problems: number;
      playbooks: { file: string; valid: boolean; issues: { line: number; column: number }[] }[];
    };
    expect(document.valid).toBe(false);
    expect(document.problems).toBe(2);
    expect(document.playbooks.map((p) => [p.file, p.valid, p.issues.length])).toEqual([
      [valid, true, 0],
      [twoActions, false, 2],
    ]);
    expect(document.playbooks[1]?.issues[0]).toMatchObject({ file: twoActions, line: 7, column: 5 });
  });

  it('is a usage error when no playbook is given', async () => {
    expect(await run([])).toEqual({ code: ExitCode.Usage, output: 'no playbook given\n' });
  });
});

describe('closingLine', () => {
  const ok = { file: 'a', issues: [] };
  const bad = (n: number) => ({ file: 'b', issues: Array.from({ length: n }, () => ({ file: 'b', line: 1, column: 1, message: 'x' })) });

  it('counts problems and playbooks in plain words', () => {
    expect(closingLine([bad(1)], 1)).toBe('1 problem in 1 playbook');
    expect(closingLine([bad(3)], 3)).toBe('3 problems in 1 playbook');
    expect(closingLine([ok, bad(3), bad(1)], 4)).toBe('4 problems in 2 of 3 playbooks');
  });
});
