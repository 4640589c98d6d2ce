import type { ContainerProjects } from '../engine/ports.js';
import { UsageError } from '../errors.js';
import { echo } from '../journal/echo.js';
import { damageSummary } from './recovery-words.js';
import type { RunState } from '../journal/run-journals.js';

/**
 * The compose project `recover <run-dir>` works on, whose lock it must hold before it reverts
 * anything: a recovery that races a drill on the same project can undo that drill's faults or
 * have its own undone. The run's journal says which project it was against; when its start
 * record cannot be read, the containers its fault records name say it, by their compose project
 * label — all of them must agree. `explicit` (`--project`) is a person's answer: checked against
 * the journal and against the containers, never taken over what they say.
 * Throws UsageError when no project can be established, or when the answers disagree.
 */
export async function projectOfRun(run: RunState, engine: ContainerProjects, explicit?: string): Promise<string> {
  if (run.project !== null) {
    if (explicit !== undefined && explicit !== run.project) {
      throw new UsageError(
        `run ${run.runId} (${run.dir}) was against compose project ${echo(run.project)}, not ${echo(explicit)}: leave --project out, or give the run of that project`,
      );
    }
    return run.project;
  }
  const byProject = await targetsByProject(run, engine);
  const found = [...byProject.keys()];
  const wrong = found.filter((project) => project !== (explicit ?? found[0]));
  if (wrong.length > 0) {
    const of = [...byProject].map(
      ([project, names]) => `${names.join(', ')} of ${project === null ? 'no compose project' : `project ${echo(project)}`}`,
    );
    const against = explicit === undefined ? 'they do not agree on one' : `not all of them are of project ${echo(explicit)}`;
    throw new UsageError(
      `cannot tell which compose project run ${run.runId} (${run.dir}) was against: its start record cannot be read, and its fault records name containers ${of.join('; ')} — ${against}. ` +
        'Nothing was reverted. Check the run by hand (see docs/safety-and-recovery.md, "When firedrill itself is killed").',
    );
  }
  const project = explicit ?? found[0];
  if (project === undefined || project === null) {
    throw new UsageError(
      `cannot tell which compose project run ${run.runId} (${run.dir}) was against: its start record cannot be read (${damageSummary(run.unreadable)}), ` +
        `and ${run.pending.length === 0 ? 'it has no fault record that can be read' : 'none of the containers its fault records name exists any more'}. ` +
        `Nothing was reverted: give the project with \`firedrill recover ${run.dir} --project <compose project>\`, so that recover holds its lock while it works.`,
    );
  }
  return project;
}

/** The fault records' target containers that still exist, by their compose project (null: none). */
async function targetsByProject(run: RunState, engine: ContainerProjects): Promise<Map<string | null, string[]>> {
  const targets = new Map(run.pending.flatMap((record) => record.targets.map((target) => [target.containerId, target.name] as const)));
  const byProject = new Map<string | null, string[]>();
  for (const [id, name] of targets) {
    const project = await engine.composeProjectOf(id);
    if (project === undefined) continue; // gone: nothing of it to revert, and nothing to say about the project
    byProject.set(project, [...(byProject.get(project) ?? []), echo(name)]);
  }
  return byProject;
}
