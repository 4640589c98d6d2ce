import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { renderConsoleSummary } from '../../../src/report/console.js';
import { PLAIN } from '../../../src/words/paint.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

/** The basic ANSI colours the summary has always written, spelled out so that a change of paint shows. */
const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
const green = (text: string) => `\u001b[32m${text}\u001b[39m`;

describe('renderConsoleSummary', () => {
  it('says the verdict, then each objective measured against its target', async () => {
    const text = renderConsoleSummary((await scenario(tempDir(), 'objective-missed')).model, PLAIN);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Failed (exit 1) — 2 of 3 objectives missed');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^ {2}✘ recovery time of “Shop answers from region b” +measured 32\.251s, target 30s — missed by 2\.251s$/);
    expect(text).not.toContain('\u001b');
    expect(text.endsWith('\n')).toBe(false);
  });

  it('colours only when asked', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const plain = renderConsoleSummary(model, paintFor(false));
    const coloured = renderConsoleSummary(model, paintFor(true));
    expect(plain).toBe(renderConsoleSummary(model, PLAIN));
    expect(coloured).toContain('\u001b[32mPassed\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it("writes, through the terminal's paint, the same bytes as the colour codes it always wrote", async () => {
    const { model } = await scenario(tempDir(), 'objective-missed');
    const plain = renderConsoleSummary(model, PLAIN).split('\n');
    const coloured = renderConsoleSummary(model, paintFor(true)).split('\n');
    expect(coloured[0]).toBe(`${red('Failed')}${plain[0]!.slice('Failed'.length)}`);
    expect(coloured[2]).toBe(plain[2]!.replace('✘', red('✘')).replace('missed by 2.251s', red('missed by 2.251s')));
    const met = plain.findIndex((line) => line.startsWith('  ✔'));
    expect(coloured[met]).toBe(plain[met]!.replace('✔', green('✔')));

    const incomplete = await scenario(tempDir(), 'rollback-incomplete');
    const warning = renderConsoleSummary(incomplete.model, paintFor(true));
    expect(warning).toContain(`  ${red('!')} fault region-a: revert not verified`);
    expect(warning.split('\n')[0]).toMatch(/^\u001b\[31mRollback incomplete\u001b\[39m/);
  });

  it('warns when a revert was not verified', async () => {
    const text = renderConsoleSummary((await scenario(tempDir(), 'rollback-incomplete')).model, PLAIN);
    expect(text).toContain('! fault region-a: revert not verified');
  });
});
