import { wrap } from './yaml-text.js';

/**
 * Services a starter does not act on, each with the reason: written as comments at the top of
 * the starter and listed by `firedrill init`, so that no service is left out silently.
 */

export interface LeftOut {
  service: string;
  reason: string;
}

/** Services that share a reason, together, in the order first met: "web-b, cache-b: in region b". */
export function groupedByReason(leftOut: readonly LeftOut[]): { services: string[]; reason: string }[] {
  const groups = new Map<string, string[]>();
  for (const { service, reason } of leftOut) groups.set(reason, [...(groups.get(reason) ?? []), service]);
  return [...groups].map(([reason, services]) => ({ services, reason }));
}

/** The comment block a starter carries: one entry per reason, wrapped. */
export function leftOutComment(leftOut: readonly LeftOut[]): string[] {
  if (leftOut.length === 0) return [];
  const entries = groupedByReason(leftOut).flatMap(({ services, reason }) =>
    wrap(`${services.join(', ')}: ${reason}`, 88).map((line, index) => `#   ${index === 0 ? '' : '  '}${line}`),
  );
  return ['#', '# Left out of this drill, and why:', ...entries];
}
