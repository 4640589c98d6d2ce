import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../../src/report/console.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

describe('renderConsoleSummary', () => {
  it('says the verdict, then each objective measured against its target', async () => {
    const text = renderConsoleSummary((await scenario(tempDir(), 'objective-missed')).model, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Failed (exit 1) — 2 of 3 objectives missed');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^ {2}✘ recovery time of “Shop answers from region b” +measured 32\.251s, target 30s — missed by 2\.251s$/);
    expect(text).not.toContain('\u001b');
    expect(text.endsWith('\n')).toBe(false);
  });

  it('colours only when asked', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const plain = renderConsoleSummary(model, { color: false });
    const coloured = renderConsoleSummary(model, { color: true });
    expect(coloured).toContain('\u001b[32mPassed\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('warns when a revert was not verified', async () => {
    const text = renderConsoleSummary((await scenario(tempDir(), 'rollback-incomplete')).model, { color: false });
    expect(text).toContain('! fault region-a: revert not verified');
  });
});
