import type { JournalDamage, RunState } from '../journal/run-journals.js';

/**
 * The words for runs that need `firedrill recover`: shared by `run`, which refuses to start
 * while one remains, and `recover`, which says what it could not do.
 */

/** Damage shown per run, at most; the count of the rest follows. */
const DAMAGE_SHOWN = 3;

/** "journal.jsonl:7: this line is not valid JSON", "journal.jsonl: not a regular file …". */
export function damageText(damage: JournalDamage): string {
  return damage.line === null ? `${damage.file}: ${damage.problem}` : `${damage.file}:${damage.line}: this line ${damage.problem}`;
}

/** The first few pieces of damage, then how many more. */
export function damageSummary(damage: readonly JournalDamage[]): string {
  const shown = damage.slice(0, DAMAGE_SHOWN).map(damageText);
  const more = damage.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more line${more === 1 ? '' : 's'}` : ''}`;
}

/** One line per run for a refusal: its pending faults, and what of its journals cannot be read. */
export function unrecoveredRunText(run: RunState): string {
  const parts: string[] = [];
  if (run.pending.length > 0) parts.push(run.pending.map((record) => `${record.ref} (${record.kind})`).join(', '));
  if (run.unreadable.length > 0) {
    const whose = run.project === null ? 'its journal does not say which project it ran against, and ' : '';
    parts.push(
      `${whose}its journals cannot be read whole, so it may have left a fault that their readable lines do not show (${damageSummary(run.unreadable)})`,
    );
  }
  return `  ${run.runId}: ${parts.join('; ')}`;
}

/** What to do about runs whose journals cannot be read whole, once everything readable is reverted. */
export function damagedRunAdvice(runsDir: string | undefined, project: string | null): string {
  const onProject = project ? ` of project ${project}` : '';
  const move = runsDir
    ? `then move the run directory out of ${runsDir} (keep it: it is the record of that drill) — until then \`firedrill run\` refuses to start on the project`
    : 'then move the run directory out of the runs directory (keep it: it is the record of that drill) — until then `firedrill run` refuses to start on the project';
  return (
    `A fault recorded on a line that cannot be read may still be applied. Check the containers${onProject} by hand ` +
    `(\`docker ps -a\`: stopped or paused containers; \`docker network inspect\`: missing ones; \`iptables -S\` in each container's namespace: rules marked \`firedrill:\`), ` +
    move
  );
}
