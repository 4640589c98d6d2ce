import { z } from 'zod';
import { InternalError } from '../errors.js';
import type { FaultContext, FaultRecord, FaultTarget, PlannedAction, RevertResult } from './fault.js';
import { faultMark } from './fault-common.js';
import { manualInNetns, revertNamespaces, runInNetnsChecked, shellWords, type TargetOutcome } from './netns-helper.js';

/**
 * Marked iptables DROP rules inside a target's network namespace (filter table), for
 * network-partition and packet-loss.
 *
 * - Every rule carries `-m comment --comment firedrill:<ref>`; revert deletes exactly the
 *   rules whose comment is that mark, as `iptables -S` prints them, and nothing else: chains
 *   are never flushed, and rules the target had before stay where they were.
 * - Our rules are inserted at the top of their chain, so that an ACCEPT of the target's own
 *   cannot let the traffic through.
 * - Rules are added, and removed, in one `iptables-restore --noflush` transaction per target:
 *   a target never holds half of a fault's rules.
 * - `iptables` is whatever the helper image has: iptables-nft on Debian bookworm. Inject,
 *   revert and verification all use the record's pinned image, so one backend sees its own
 *   rules; rules the target keeps in another backend are never touched.
 */

export type Chain = 'INPUT' | 'OUTPUT';

/** A DROP rule without its mark: the chain and the match arguments, e.g. ["-s", "10.0.0.3/32"]. */
export interface DropRule {
  chain: Chain;
  match: string[];
}

const dropRules = z.array(z.strictObject({ chain: z.enum(['INPUT', 'OUTPUT']), match: z.array(z.string()) }));

/** The rules pinned for a target at plan time (in `before.rules`), read back from a record. */
export function rulesOf(target: FaultTarget): DropRule[] {
  const parsed = dropRules.safeParse(target.before?.['rules']);
  if (!parsed.success) throw new InternalError(`fault target ${target.name} has no valid iptables rules recorded`);
  return parsed.data;
}

export function withRules(target: FaultTarget, rules: DropRule[]): FaultTarget {
  return { ...target, before: { ...target.before, rules } };
}

/** The rule's arguments after the chain, mark included. */
function ruleArguments(rule: DropRule, mark: string): string[] {
  return [...rule.match, '-m', 'comment', '--comment', mark, '-j', 'DROP'];
}

/** The rule as one iptables command, for plans and for people. */
export function ruleCommand(rule: DropRule, mark: string, operation: '-I' | '-D' = '-I'): string[] {
  return ['iptables', operation, rule.chain, ...ruleArguments(rule, mark)];
}

/**
 * Feeds lines to iptables-restore without flushing anything; the lines are arguments, never
 * spliced into the script. `-w` waits for the xtables lock when the backend is legacy.
 */
function restoreCommand(lines: string[]): string[] {
  const script = 'printf "%s\\n" "$@" | iptables-restore -w 5 --noflush';
  return ['sh', '-c', script, 'firedrill-iptables', '*filter', ...lines, 'COMMIT'];
}

/** One line of iptables-restore input; our words never need its quoting. */
function restoreLine(words: string[]): string {
  const odd = words.find((word) => !/^[^\s"'\\]+$/.test(word));
  if (odd !== undefined) throw new InternalError(`iptables argument ${JSON.stringify(odd)} would need quoting`);
  return words.join(' ');
}

function checkedMark(record: FaultRecord): string {
  const mark = faultMark(record.ref);
  // Fault refs are identifiers; anything else would need quoting inside iptables-restore input.
  if (!/^[A-Za-z0-9_.:-]+$/.test(mark)) throw new InternalError(`fault mark ${JSON.stringify(mark)} is not a plain word`);
  return mark;
}

/** Adds the target's rules, at the top of their chains, in one transaction. */
export async function insertRules(record: FaultRecord, target: FaultTarget, ctx: FaultContext): Promise<void> {
  const mark = checkedMark(record);
  const lines = rulesOf(target).map((rule) => restoreLine(['-I', rule.chain, '1', ...ruleArguments(rule, mark)]));
  if (lines.length === 0) return;
  await runInNetnsChecked(record, target, restoreCommand(lines), ctx);
}

/** The target's filter rules as `iptables -S` prints them (policies included). */
export async function listRules(record: FaultRecord, target: FaultTarget, ctx: FaultContext): Promise<string[]> {
  const output = await runInNetnsChecked(record, target, ['iptables', '-w', '5', '-S'], ctx);
  return output.split('\n').filter((line) => line.trim() !== '');
}

/** Lines of `iptables -S` whose comment is exactly `mark` (not merely one that starts with it). */
export function markedLines(lines: string[], mark: string): string[] {
  return lines.filter((line) => {
    if (!line.startsWith('-A ')) return false;
    const words = splitWords(line);
    return words.some((word, i) => word === '--comment' && words[i + 1] === mark);
  });
}

/** Splits a line the way iptables quotes it: double quotes group, a backslash escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (char === '"') {
      quoted = !quoted;
      word ??= '';
    } else if (/\s/.test(char) && !quoted) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Deletes the given `-A` lines (as listed) in one transaction. */
async function deleteLines(record: FaultRecord, target: FaultTarget, lines: string[], ctx: FaultContext): Promise<void> {
  if (lines.length === 0) return;
  await runInNetnsChecked(record, target, restoreCommand(lines.map((line) => line.replace(/^-A /, '-D '))), ctx);
}

/**
 * Deletes every rule carrying the fault's mark in one target, then lists again: verified when
 * none is left. Unmarked rules are neither read nor written.
 */
async function removeMarked(record: FaultRecord, target: FaultTarget, ctx: FaultContext): Promise<TargetOutcome> {
  const mark = checkedMark(record);
  const found = markedLines(await listRules(record, target, ctx), mark);
  await deleteLines(record, target, found, ctx);
  const left = markedLines(await listRules(record, target, ctx), mark);
  if (left.length === 0) {
    const what = found.length === 0 ? `${target.name} held no rule marked ${mark}` : `deleted ${count(found.length, 'rule')} marked ${mark} in ${target.name}`;
    return { done: [`${what}; iptables -S there shows none now`], problems: [], manual: [] };
  }
  return {
    done: found.length > 0 ? [`tried to delete ${count(found.length, 'rule')} marked ${mark} in ${target.name}`] : [],
    problems: [`${target.name} still holds ${count(left.length, 'rule')} marked ${mark}: ${left.join(' | ')}`],
    manual: left.map((line) => manualInNetns(record, target, ['iptables', ...splitWords(line.replace(/^-A /, '-D '))])),
  };
}

/** The revert of every iptables fault: remove the marked rules in every target and check. */
export function revertMarkedRules(record: FaultRecord, ctx: FaultContext): Promise<RevertResult> {
  const mark = checkedMark(record);
  return revertNamespaces(
    record.targets,
    ctx,
    `the iptables rules marked ${mark}`,
    (target) => removeMarked(record, target, ctx),
    (target) => rulesOf(target).map((rule) => `${manualInNetns(record, target, ruleCommand(rule, mark, '-D'))}  # "Bad rule" means it is gone already`),
  );
}

/** One action per target: the exact rules, and how they are taken out again. */
export function planRules(record: FaultRecord, purpose: string): PlannedAction[] {
  const mark = checkedMark(record);
  return record.targets.map((target) => {
    const commands = rulesOf(target).map((rule) => shellWords(ruleCommand(rule, mark)));
    return {
      apply: `${purpose} in the network namespace of container ${target.name} (service ${target.service}), from a helper with NET_ADMIN: ${commands.join('; ')}`,
      revert: `delete every rule of ${target.name} whose comment is ${mark} (found with iptables -S), then list again to check that none is left; its other rules stay`,
    };
  });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
