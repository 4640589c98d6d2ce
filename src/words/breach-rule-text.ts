import { percentExact } from './number-words.js';
import { formatTarget } from './time-format.js';

/** When a stop condition breaches, in words: "it fails for 2s without a break, or more than 20% of the checks in the last 30s fail". */
export function breachRuleText(rule: { tolerateMs: number | null; maxErrorRate: number | null; windowMs: number | null }): string {
  const parts: string[] = [];
  if (rule.tolerateMs !== null)
    parts.push(rule.tolerateMs === 0 ? 'any check fails' : `it fails for ${formatTarget(rule.tolerateMs)} without a break`);
  if (rule.maxErrorRate !== null && rule.windowMs !== null) {
    const rate = percentExact(rule.maxErrorRate);
    parts.push(`more than ${rate} of the checks in the last ${formatTarget(rule.windowMs)} fail`);
  }
  return parts.join(', or ');
}
