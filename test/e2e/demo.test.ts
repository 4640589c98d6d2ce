import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { readJournal } from '../../src/journal/reader.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { firedrill } from './cli-process.js';

const PROJECT = 'firedrill-demo';

/**
 * The README's first command, as a user runs it: `firedrill demo` brings the bundled topology up
 * and runs the region-loss drill. Afterwards nothing of the drill may remain: every container of
 * the project runs, none is paused, and `report` rebuilds the reports byte for byte.
 */
describe('firedrill demo', () => {
  const runs = join(mkdtempSync(join(tmpdir(), 'firedrill-demo-')), 'runs');
  const engine = createDockerEngine();

  afterAll(async () => {
    const down = await firedrill(['demo', '--down']);
    expect(down.exitCode).toBe(0);
    expect(await engine.listProjectContainers(PROJECT)).toEqual([]);
  });

  it('runs the region-loss drill, passes, and leaves the topology as it found it', async () => {
    const result = await firedrill(['demo', '--runs-dir', runs]);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toContain('Passed (exit 0)');

    const runDir = /run directory: (\S+)/.exec(String(result.stdout))?.[1];
    expect(runDir).toBeDefined();
    const journalPath = join(runDir!, 'journal.jsonl');
    expect((await verifyJournal(journalPath)).ok).toBe(true);

    const journal = await readJournal(journalPath);
    const applied = journal.filter((e) => e.type === 'fault.applied');
    expect(applied).toHaveLength(1);
    const reverted = journal.filter((e) => e.type === 'fault.reverted');
    expect(reverted.map((e) => e.data)).toEqual([expect.objectContaining({ ref: 'region-a-down', verified: true })]);
    const objectives = journal.filter((e) => e.type === 'objective.evaluated').map((e) => e.data);
    expect(objectives.length).toBeGreaterThanOrEqual(3);
    for (const objective of objectives) expect(objective.measuredMs).not.toBeNull();

    const containers = await engine.listProjectContainers(PROJECT);
    expect(containers.length).toBe(7);
    for (const container of containers) expect(container.status, container.name).toBe('running');

    const report = readFileSync(join(runDir!, 'report.md'), 'utf8');
    expect(report).toContain('# Drill report: Losing region a');
    expect(report).toContain('## Objectives');
    const json = readFileSync(join(runDir!, 'report.json'), 'utf8');

    const regenerated = await firedrill(['report', runDir!]);
    expect(regenerated.exitCode).toBe(0);
    expect(readFileSync(join(runDir!, 'report.md'), 'utf8')).toBe(report);
    expect(readFileSync(join(runDir!, 'report.json'), 'utf8')).toBe(json);
  });

  it('runs the network-partition drill on the same topology: region b takes over, the rules are gone afterwards', async () => {
    const result = await firedrill(['run', 'drills/network-partition.yaml', '--runs-dir', runs]);
    expect(result.exitCode, String(result.all)).toBe(0);
    const runDir = /run directory: (\S+)/.exec(String(result.stdout))![1]!;
    const journal = await readJournal(join(runDir, 'journal.jsonl'));
    expect(journal.filter((e) => e.type === 'fault.reverted').map((e) => e.data)).toEqual([
      expect.objectContaining({ ref: 'edge-app-a', verified: true }),
    ]);
    for (const service of ['edge', 'app-a']) {
      const container = (await engine.listProjectContainers(PROJECT)).find((c) => c.service === service)!;
      const rules = await engine.runHelper({
        image: 'firedrill-base:bookworm',
        networkOf: container.id,
        capAdd: ['NET_ADMIN'],
        command: ['iptables', '-S'],
      });
      expect(rules.exitCode).toBe(0);
      expect(rules.stdout).not.toContain('firedrill:');
    }
  });
});
