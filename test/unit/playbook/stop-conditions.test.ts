import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/errors.js';
import { validatePlaybooks } from '../../../src/playbook/load.js';
import { checkReferences } from '../../../src/playbook/references.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

const HEAD = ['name: guarded', 'title: Guarded drill', 'summary: A drill with stop conditions.', 'topology:', '  project: shop'];
const STEPS = ['steps:', '  - name: pause', '    pause: 1s'];

async function issuesOf(lines: string[]): Promise<string[]> {
  const file = join(tempDir(), 'guarded.yaml');
  writeFileSync(file, `${[...HEAD, ...lines, ...STEPS].join('\n')}\n`);
  const [result] = await validatePlaybooks([file]);
  return result!.issues.map((issue) => formatIssue(issue).slice(file.length + 1));
}

describe('stopConditions in a playbook', () => {
  it('parses both rules, with every and from defaulted', () => {
    const playbook = playbookSchema.parse({
      name: 'p',
      title: 't',
      summary: 's',
      topology: { project: 'shop' },
      steps: [{ name: 'pause', pause: '1s' }],
      stopConditions: [
        { name: 'region b answers', probe: { kind: 'tcp', port: 8081 }, tolerate: '2s' },
        { name: 'edge errors', probe: { kind: 'tcp', port: 8080 }, every: '250ms', maxErrorRate: 0.2, window: '10s', from: 'start' },
      ],
    });
    expect(playbook.stopConditions).toEqual([
      {
        name: 'region b answers',
        probe: expect.objectContaining({ kind: 'tcp', port: 8081 }),
        every: 1000,
        tolerate: 2000,
        from: 'first-fault',
      },
      {
        name: 'edge errors',
        probe: expect.objectContaining({ kind: 'tcp' }),
        every: 250,
        maxErrorRate: 0.2,
        window: 10_000,
        from: 'start',
      },
    ]);
  });

  it('reports every problem with its line and column', async () => {
    const issues = await issuesOf([
      'stopConditions:',
      '  - name: edge answers',
      '    probe: { kind: tcp, port: 8080 }',
      '    maxErrorRate: 0.2',
      '  - name: rate',
      '    probe: { kind: tcp, port: 8080 }',
      '    every: 1s',
      '    window: 1500ms',
      '  - name: too much',
      '    probe: { kind: tcp, port: 8080 }',
      '    maxErrorRate: 1',
      '    window: 10s',
      '    from: later',
    ]);
    expect(issues).toEqual([
      '9:19: stopConditions[0].maxErrorRate: maxErrorRate needs a window: the span of recent samples the rate is taken over, e.g. window: 30s',
      '13:13: stopConditions[1].window: window only applies to an error rate: add maxErrorRate (e.g. 0.2), or remove window',
      '13:13: stopConditions[1].window: window must span at least two samples: at least 2s with every 1s',
      '16:19: stopConditions[2].maxErrorRate: must be less than 1, got 1',
      '18:11: stopConditions[2].from: expected one of "first-fault" or "start", got "later"',
    ]);
  });

  it('wants names that tell the conditions apart', async () => {
    const issues = await issuesOf([
      'stopConditions:',
      '  - { name: edge answers, probe: { kind: tcp, port: 8080 } }',
      '  - { name: edge answers, probe: { kind: tcp, port: 8081 } }',
    ]);
    expect(issues).toEqual([
      '8:13: stopConditions[1].name: stop condition name "edge answers" is already used by stopConditions[0] (stop condition names must be unique)',
    ]);
  });

  it('checks the services their probes name against the compose file', () => {
    const playbook = playbookSchema.parse({
      name: 'p',
      title: 't',
      summary: 's',
      topology: { project: 'shop' },
      steps: [{ name: 'pause', pause: '1s' }],
      stopConditions: [{ name: 'db answers', probe: { kind: 'exec', service: 'dbb', command: 'true' } }],
    });
    expect(checkReferences(playbook, { services: ['web', 'db'], regions: {}, regionLabel: 'firedrill.region' })).toEqual([
      {
        path: ['stopConditions', 0, 'probe', 'service'],
        message: 'stopConditions[0].probe.service: service "dbb" is not defined in the compose file',
        hint: 'did you mean "db"?',
      },
    ]);
  });
});
