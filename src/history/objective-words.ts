/**
 * An objective as history's terminal lines name it, where the line already says it is about
 * recovery times: a drill-wide objective by its own name ("overall recovery time"), a step's
 * by its step's name in quotes ("“Shop answers”").
 */
export function objectiveShortLabel(o: { scope: 'drill' | 'step'; name: string }): string {
  return o.scope === 'drill' ? o.name : `“${o.name}”`;
}
