import { z } from 'zod';
import { InternalError } from '../../errors.js';
import type { FaultContext, FaultRecord, FaultTarget, PlannedAction, RevertResult } from '../fault.js';
import { faultMark } from '../fault-common.js';
import { leftoversError, manualInNetns, revertNamespaces, runInNetnsChecked, shellWords } from './netns-helper.js';
import { readNamespaces, withNote } from './namespace-inspector.js';
import { IPTABLES_LISTING_SCRIPT, listingText } from './netns-listings.js';
import { count } from '../../words/number-words.js';

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
 * - Inject uses the helper image's `iptables` (iptables-nft on Debian bookworm); the image is
 *   pinned by id at plan time, so a later revert or recover runs the same one. Listing for
 *   revert, verification and preflight still reads BOTH backends where the image has both
 *   (iptables-nft and iptables-legacy): a rule carrying our mark is found, deleted with its
 *   own backend's iptables-restore, and checked, whichever backend holds it. Legacy tables are
 *   read only when the namespace has some (/proc/net/ip_tables_names), since reading them
 *   would create them. Rules without our mark are never touched, in either backend.
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
 * Where rules live: `default` is the image's own `iptables` (an image without the -nft and
 * -legacy variants); the others are those variants by name.
 */
export type Backend = 'nft' | 'legacy' | 'default';

/** The filter table of one backend as `-S` lists it (policies included). */
export interface BackendListing {
  backend: Backend;
  lines: string[];
}

/** The backend's own tool, e.g. iptables-legacy; `suffix` "-restore" names its restore. */
function tool(backend: Backend, suffix = ''): string {
  return backend === 'default' ? `iptables${suffix}` : `iptables-${backend}${suffix}`;
}

/** Reads IPTABLES_LISTING_SCRIPT's output; a listing without any backend is not "no rules". */
export function parseListing(output: string): BackendListing[] {
  const listings: BackendListing[] = [];
  for (const line of output.split('\n')) {
    const header = /^== (nft|legacy|default)$/.exec(line.trim());
    if (header) listings.push({ backend: header[1] as Backend, lines: [] });
    else if (line.trim() !== '') {
      const current = listings.at(-1);
      if (!current) throw new Error(`the iptables listing does not say which backend it lists: ${output.slice(0, 200)}`);
      current.lines.push(line);
    }
  }
  if (listings.length === 0) throw new Error('the helper listed no iptables backend (is iptables in the helper image?)');
  return listings;
}

/**
 * Feeds lines to a backend's iptables-restore without flushing anything; the lines are
 * arguments, never spliced into the script. `-w` waits for the xtables lock when the backend
 * is legacy.
 */
function restoreCommand(lines: string[], backend: Backend = 'default'): string[] {
  const script = `printf "%s\\n" "$@" | ${tool(backend, '-restore')} -w 5 --noflush`;
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

/** The target's filter rules, per backend, as `iptables -S` prints them (policies included). */
export async function listRules(record: FaultRecord, target: FaultTarget, ctx: FaultContext): Promise<BackendListing[]> {
  return parseListing(await runInNetnsChecked(record, target, ['sh', '-c', IPTABLES_LISTING_SCRIPT, 'firedrill-iptables'], ctx));
}

/** Lines of `iptables -S` whose comment is exactly `mark` (not merely one that starts with it). */
export function markedLines(lines: string[], mark: string): string[] {
  return lines.filter((line) => commentsOf(line).includes(mark));
}

/** Lines of `iptables -S` that carry any firedrill mark, whichever fault's. */
export function firedrillLines(lines: string[]): string[] {
  return lines.filter((line) => firedrillMarksOf(line).length > 0);
}

function firedrillMarksOf(line: string): string[] {
  return commentsOf(line).filter((comment) => comment.startsWith(faultMark('')));
}

/** The comments of an `-A` line (none for policies and chains). */
function commentsOf(line: string): string[] {
  if (!line.startsWith('-A ')) return [];
  const words = splitWords(line);
  return words.flatMap((word, i) => (word === '--comment' && words[i + 1] !== undefined ? [words[i + 1]!] : []));
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

/** The given `-A` lines (as listed), marked as `mark`, per backend. */
function marked(listings: BackendListing[], mark: string): { backend: Backend; line: string }[] {
  return listings.flatMap(({ backend, lines }) => markedLines(lines, mark).map((line) => ({ backend, line })));
}

/** Deletes the given `-A` lines (as listed) in one transaction per backend. */
async function deleteLines(
  record: FaultRecord,
  target: FaultTarget,
  found: { backend: Backend; line: string }[],
  ctx: FaultContext,
): Promise<void> {
  for (const backend of new Set(found.map((rule) => rule.backend))) {
    const lines = found.filter((rule) => rule.backend === backend).map((rule) => rule.line.replace(/^-A /, '-D '));
    await runInNetnsChecked(record, target, restoreCommand(lines, backend), ctx);
  }
}

/** The command that deletes one listed line by hand, with the backend that holds it. */
function manualDelete(record: FaultRecord, target: FaultTarget, { backend, line }: { backend: Backend; line: string }): string {
  return manualInNetns(record, target, [tool(backend), ...splitWords(line.replace(/^-A /, '-D '))]);
}

/**
 * Deletes every rule carrying the fault's mark in one target, in whichever backend holds it,
 * then lists again: verified when none is left. Unmarked rules are never written.
 */
async function removeMarked(record: FaultRecord, target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const mark = checkedMark(record);
  const found = marked(await listRules(record, target, ctx), mark);
  await deleteLines(record, target, found, ctx);
  const left = marked(await listRules(record, target, ctx), mark);
  if (left.length === 0) {
    const what =
      found.length === 0
        ? `${target.name} held no rule marked ${mark}`
        : `deleted ${count(found.length, 'rule')} marked ${mark} in ${target.name}`;
    return { verified: true, done: [`${what}; iptables -S there shows none now`], problems: [], manual: [] };
  }
  return {
    verified: false,
    done: found.length > 0 ? [`tried to delete ${count(found.length, 'rule')} marked ${mark} in ${target.name}`] : [],
    problems: [`${target.name} still holds ${count(left.length, 'rule')} marked ${mark}: ${left.map((rule) => rule.line).join(' | ')}`],
    manual: left.map((rule) => manualDelete(record, target, rule)),
  };
}

/**
 * Preflight of every iptables fault: refuses a target that already holds rules with a
 * firedrill mark, in either backend (see leftoversError). Reads only, every target's table from
 * one namespace inspector where the engine allows it (namespace-inspector.ts); the first such
 * target in the record's order is the one named.
 */
export async function refuseEarlierRules<Spec>(record: FaultRecord<Spec>, ctx: FaultContext): Promise<FaultRecord<Spec>> {
  const { note } = await readNamespaces(record, ['iptables'], ctx, (target, reading) => {
    const found = parseListing(listingText(reading, 'iptables')).flatMap(({ backend, lines }) =>
      firedrillLines(lines).map((line) => ({ backend, line })),
    );
    if (found.length === 0) return;
    const marks = [...new Set(found.flatMap(({ line }) => firedrillMarksOf(line)))];
    throw leftoversError(
      target,
      `${count(found.length, 'iptables rule')} marked by firedrill (${marks.join(', ')})`,
      ctx,
      found.map((rule) => manualDelete(record, target, rule)),
    );
  });
  return withNote(record, note);
}

/** The revert of every iptables fault: remove the marked rules in every target and check. */
export function revertMarkedRules(record: FaultRecord, ctx: FaultContext): Promise<RevertResult> {
  const mark = checkedMark(record);
  return revertNamespaces(
    record.targets,
    ctx,
    `the iptables rules marked ${mark}`,
    (target) => removeMarked(record, target, ctx),
    (target) =>
      rulesOf(target).map(
        (rule) => `${manualInNetns(record, target, ruleCommand(rule, mark, '-D'))}  # "Bad rule" means it is gone already`,
      ),
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
