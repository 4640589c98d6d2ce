import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllowLists } from '../../../src/cli/scope-config.js';
import { UsageError } from '../../../src/errors.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

function dirWith(files: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('allow-lists from the environment and the config file', () => {
  it('has none when neither is set: any project may be drilled', async () => {
    expect(await loadAllowLists({ env: {}, cwd: dirWith() })).toEqual([]);
    expect(await loadAllowLists({ env: { FIREDRILL_ALLOWED_PROJECTS: ' , ' }, cwd: dirWith() })).toEqual([]);
  });

  it('reads FIREDRILL_ALLOWED_PROJECTS as comma-separated names or globs', async () => {
    expect(await loadAllowLists({ env: { FIREDRILL_ALLOWED_PROJECTS: 'staging-*, demo ,' }, cwd: dirWith() })).toEqual([
      { patterns: ['staging-*', 'demo'], source: 'FIREDRILL_ALLOWED_PROJECTS' },
    ]);
  });

  it('reads firedrill.config.yaml in the working directory, and keeps both lists when both are set', async () => {
    const cwd = dirWith({ 'firedrill.config.yaml': 'allowedProjects:\n  - staging-eu\n  - "qa-*"\n' });
    expect(await loadAllowLists({ env: { FIREDRILL_ALLOWED_PROJECTS: 'staging-*' }, cwd })).toEqual([
      { patterns: ['staging-*'], source: 'FIREDRILL_ALLOWED_PROJECTS' },
      { patterns: ['staging-eu', 'qa-*'], source: 'firedrill.config.yaml' },
    ]);
  });

  it('reads the file --config names instead, and an empty list there allows nothing', async () => {
    const cwd = dirWith({ 'firedrill.config.yaml': 'allowedProjects: [ignored]\n', 'ci.yaml': 'allowedProjects: []\n' });
    expect(await loadAllowLists({ configFile: 'ci.yaml', env: {}, cwd })).toEqual([{ patterns: [], source: 'ci.yaml' }]);
  });

  it('a file without allowedProjects sets no list', async () => {
    expect(await loadAllowLists({ env: {}, cwd: dirWith({ 'firedrill.config.yaml': '# nothing yet\n' }) })).toEqual([]);
  });

  it('refuses a --config file that does not exist (exit 2)', async () => {
    const error = await loadAllowLists({ configFile: 'missing.yaml', env: {}, cwd: dirWith() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('the config file missing.yaml does not exist (check the path)');
  });

  it('reports every problem in the file with its line and column', async () => {
    const cwd = dirWith({ 'firedrill.config.yaml': 'allowedProjects:\n  - staging\n  - 42\nallowedProject: [x]\n' });
    const error = await loadAllowLists({ env: {}, cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toBe(
      [
        'the config file is not valid; nothing was touched:',
        'firedrill.config.yaml:3:5: allowedProjects[1]: expected a string, got 42',
        'firedrill.config.yaml:4:1: unknown key "allowedProject" (did you mean "allowedProjects"?)',
      ].join('\n'),
    );
  });

  it('says in plain words what is wrong and where, never in the words of the schema library', async () => {
    const cases: [string, string][] = [
      ['"staging"\n', 'firedrill.config.yaml:1:1: expected a mapping, got "staging"'],
      ['allowedProjects: staging-*\n', 'firedrill.config.yaml:1:18: allowedProjects: expected a list, got "staging-*"'],
      ['allowedProjects:\n  - "  "\n', 'firedrill.config.yaml:2:5: allowedProjects[0]: must not be empty'],
      ['allowedProjects:\n  - {name: x}\n', 'firedrill.config.yaml:2:5: allowedProjects[0]: expected a string, got a mapping'],
    ];
    for (const [text, line] of cases) {
      const error = await loadAllowLists({ env: {}, cwd: dirWith({ 'firedrill.config.yaml': text }) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(`the config file is not valid; nothing was touched:\n${line}`);
    }
  });

  it('reports YAML syntax errors with their position', async () => {
    const cwd = dirWith({ 'firedrill.config.yaml': 'allowedProjects: [a\n' });
    await expect(loadAllowLists({ env: {}, cwd })).rejects.toThrow(/firedrill\.config\.yaml:\d+:\d+: /);
  });
});
