import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../errors.js';
import { packageRoot } from '../version.js';

/**
 * The CI files `firedrill init` writes, from the templates in templates/init/. A placeholder
 * is `@@name@@` — a form neither YAML, GitHub (`${{ }}`) nor GitLab (`$VAR`) gives a meaning.
 * Values go only into comments and shell lines; the shell ones arrive quoted.
 */

export type CiChoice = 'github' | 'gitlab' | 'both' | 'none';

export interface CiValues {
  version: string;
  project: string;
  /** Relative to the repository root (where CI runs), with "/". */
  composeFile: string;
  drillsDir: string;
  /** The shell command that installs firedrill in CI. */
  install: string;
}

export interface CiFile {
  /** Relative to the output directory. */
  path: string;
  content: string;
  about: string;
}

export const GITHUB_WORKFLOW_PATH = '.github/workflows/firedrill.yml';
export const GITLAB_CI_PATH = 'firedrill.gitlab-ci.yml';

export async function ciFiles(choice: CiChoice, values: CiValues): Promise<CiFile[]> {
  const files: CiFile[] = [];
  if (choice === 'github' || choice === 'both') {
    files.push({
      path: GITHUB_WORKFLOW_PATH,
      content: fill(await template('github-workflow.yml'), placeholders(values)),
      about: 'GitHub Actions: nightly and on demand',
    });
  }
  if (choice === 'gitlab' || choice === 'both') {
    files.push({
      path: GITLAB_CI_PATH,
      content: fill(await template('gitlab-ci.yml'), { ...placeholders(values), selfPath: GITLAB_CI_PATH }),
      about: 'GitLab CI job to include from .gitlab-ci.yml; run it from a pipeline schedule',
    });
  }
  return files;
}

function placeholders(values: CiValues): Record<string, string> {
  return {
    version: values.version,
    project: values.project,
    composeFile: shellQuote(values.composeFile),
    drillsDir: values.drillsDir,
    drillsGlob: `${shellQuote(values.drillsDir)}/*.yaml`,
    install: values.install,
  };
}

async function template(name: string): Promise<string> {
  return readFile(fileURLToPath(new URL(`templates/init/${name}`, packageRoot)), 'utf8');
}

/** Replaces every `@@name@@`; a placeholder without a value is a defect, not something to write out. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/@@([A-Za-z]+)@@/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new InternalError(`the init template has a placeholder @@${name}@@ that nothing fills`);
    return value;
  });
}

/** A word for sh: left as is when it is safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
