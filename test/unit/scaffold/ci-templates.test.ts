import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InternalError } from '../../../src/errors.js';
import { ciFiles, fill, GITHUB_WORKFLOW_PATH, GITLAB_CI_PATH, shellQuote, type CiValues } from '../../../src/scaffold/ci-templates.js';

const values: CiValues = {
  version: '9.9.9',
  project: 'shop-staging',
  composeFile: 'deploy/compose.yaml',
  drillsDir: 'drills',
  install: 'npm install --no-save firedrill@9.9.9',
};

interface Step {
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: { playbook: { required: boolean; type: string } } } };
  permissions: Record<string, string>;
  jobs: { drills: { 'runs-on': string; env: Record<string, string>; steps: Step[] } };
}

async function contentOf(choice: 'github' | 'gitlab', path: string, given: CiValues = values): Promise<string> {
  const file = (await ciFiles(choice, given)).find((f) => f.path === path);
  if (!file) throw new Error(`${path} was not generated`);
  expect(file.content).not.toMatch(/@@\w+@@/);
  return file.content;
}

describe('the GitHub workflow', () => {
  it('runs nightly and on demand, with a playbook input', async () => {
    const workflow = parse(await contentOf('github', GITHUB_WORKFLOW_PATH)) as Workflow;
    expect(workflow.on.schedule).toEqual([{ cron: '17 3 * * *' }]);
    expect(workflow.on.workflow_dispatch.inputs.playbook).toMatchObject({ required: false, type: 'string' });
    expect(workflow.permissions).toEqual({ contents: 'read', checks: 'write' });
    expect(workflow.jobs.drills.env).toEqual({ FIREDRILL_ALLOWED_PROJECTS: 'shop-staging' });
  });

  it('brings the project up, runs every drill with --yes keeping the exit code, and tears down whatever happened', async () => {
    const steps = (parse(await contentOf('github', GITHUB_WORKFLOW_PATH)) as Workflow).jobs.drills.steps;
    const byName = (name: string) => steps.find((step) => step.name === name)!;
    expect(steps.slice(0, 2).map((step) => step.uses)).toEqual(['actions/checkout@v6', 'actions/setup-node@v6']);
    expect(byName('Install firedrill').run?.trim()).toBe('npm install --no-save firedrill@9.9.9');
    expect(byName('Bring the compose project up').run?.trim()).toBe(
      'docker compose -f deploy/compose.yaml -p shop-staging up -d --build --wait',
    );

    const drills = byName('Run the drills');
    expect(drills.env).toEqual({ PLAYBOOK: '${{ inputs.playbook }}' });
    expect(drills.run).toContain('set -- drills/*.yaml');
    expect(drills.run).toContain('npx firedrill run "$playbook" --yes || code=$?');
    expect(drills.run).toContain('exit "$status"');

    const upload = byName('Keep the run directories');
    expect(upload).toMatchObject({
      if: 'always()',
      uses: 'actions/upload-artifact@v6',
      with: { path: '.firedrill/runs/', 'include-hidden-files': true },
    });
    const junit = byName('Publish the drill results');
    expect(junit).toMatchObject({
      if: 'always()',
      uses: 'mikepenz/action-junit-report@v6',
      with: { report_paths: '.firedrill/runs/*/junit.xml' },
    });
    const down = byName('Tear the compose project down');
    expect(down.if).toBe('always()');
    expect(down.run?.trim()).toBe('docker compose -f deploy/compose.yaml -p shop-staging down --volumes --remove-orphans');
    expect(steps.at(-1)).toBe(down);
  });

  it('quotes a compose file path the shell would split, and YAML still reads it', async () => {
    const odd = { ...values, composeFile: "my stack/it's: #1.yaml" };
    const quoted = `'my stack/it'\\''s: #1.yaml'`;
    const steps = (parse(await contentOf('github', GITHUB_WORKFLOW_PATH, odd)) as Workflow).jobs.drills.steps;
    expect(steps.find((step) => step.name === 'Bring the compose project up')?.run?.trim()).toBe(
      `docker compose -f ${quoted} -p shop-staging up -d --build --wait`,
    );
    const job = (parse(await contentOf('gitlab', GITLAB_CI_PATH, odd)) as { firedrill: { after_script: string[] } }).firedrill;
    expect(job.after_script[0]?.trim()).toBe(`docker compose -f ${quoted} -p shop-staging down --volumes --remove-orphans`);
  });
});

describe('the GitLab job', () => {
  interface Job {
    stage: string;
    rules: { if: string }[];
    variables: Record<string, string>;
    before_script: string[];
    script: string[];
    after_script: string[];
    artifacts: { when: string; expire_in: string; paths: string[]; reports: { junit: string } };
  }

  it('is a scheduled job that keeps the runs and their JUnit results always, and tears down after', async () => {
    const content = await contentOf('gitlab', GITLAB_CI_PATH);
    expect(content).toContain(`#     - local: ${GITLAB_CI_PATH}`);
    const job = (parse(content) as { firedrill: Job }).firedrill;
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }, { if: '$CI_PIPELINE_SOURCE == "web"' }]);
    expect(job.variables).toEqual({ FIREDRILL_ALLOWED_PROJECTS: 'shop-staging', FIREDRILL_PLAYBOOK: '' });
    expect(job.before_script.map((line) => line.trim())).toEqual([
      'npm install --no-save firedrill@9.9.9',
      'docker compose -f deploy/compose.yaml -p shop-staging up -d --build --wait',
    ]);
    expect(job.script.join('\n')).toContain('npx firedrill run "$playbook" --yes || code=$?');
    expect(job.after_script.map((line) => line.trim())).toEqual([
      'docker compose -f deploy/compose.yaml -p shop-staging down --volumes --remove-orphans',
    ]);
    expect(job.artifacts).toEqual({
      when: 'always',
      expire_in: '90 days',
      paths: ['.firedrill/runs/'],
      reports: { junit: '.firedrill/runs/*/junit.xml' },
    });
  });
});

describe('choices', () => {
  it('writes the files asked for', async () => {
    expect((await ciFiles('both', values)).map((file) => file.path)).toEqual([GITHUB_WORKFLOW_PATH, GITLAB_CI_PATH]);
    expect(await ciFiles('none', values)).toEqual([]);
  });
});

describe('fill and shellQuote', () => {
  it('refuses a placeholder nothing fills', () => {
    expect(fill('a @@x@@ b', { x: '1' })).toBe('a 1 b');
    expect(() => fill('a @@y@@', {})).toThrow(InternalError);
  });

  it('quotes only what needs it', () => {
    expect(shellQuote('deploy/compose.yaml')).toBe('deploy/compose.yaml');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
