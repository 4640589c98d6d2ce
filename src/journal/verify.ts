import { GENESIS_PREV, lineHash } from './entry.js';
import { MAX_LINE_BYTES, readRawLines } from './lines.js';
import { entryProblem, parseLine } from './reader.js';

/**
 * format: a line that is not an entry; sequence: a seq out of step; chain: a prev that does
 * not match; truncated: the last line was cut off mid-write (a crash, not tampering).
 */
export type JournalProblemKind = 'format' | 'sequence' | 'chain' | 'truncated';

export interface JournalProblem {
  /** 1-based line of the file where the problem is located. */
  line: number;
  kind: JournalProblemKind;
  message: string;
}

export interface JournalVerification {
  ok: boolean;
  /** Lines that are well-formed entries. */
  entries: number;
  /** Ordered by line. */
  problems: JournalProblem[];
  /** True when the journal ends in a cut-off line: a crash mid-write, distinct from tampering. */
  truncated: boolean;
  /**
   * SHA-256 of the last complete line. A chain cannot show that its last line was edited or
   * that lines were removed from its end: compare this with a value recorded elsewhere.
   */
  lastHash: string;
}

interface ChainBreak {
  line: number;
  /** The line before is well-formed, so its hash is what `prev` should have named. */
  previousIsEntry: boolean;
}

/**
 * Checks a journal: every line is an entry, seq runs 0, 1, 2 … and each `prev` is the SHA-256
 * of the line before. A changed line is located by the break it causes in the chain; a
 * deleted, inserted or moved line by the break and the seq that is out of step.
 */
export async function verifyJournal(path: string): Promise<JournalVerification> {
  const problems: JournalProblem[] = [];
  const breaks: ChainBreak[] = [];
  const seqs = new SeqTracker();
  let expectedPrev = GENESIS_PREV;
  let previousIsEntry = true;
  let lastHash = GENESIS_PREV;
  let entries = 0;
  let truncated = false;

  for await (const raw of readRawLines(path)) {
    const hash = lineHash(raw.bytes);
    const value = raw.oversized ? undefined : parseLine(raw);
    const shape = raw.oversized
      ? `is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`
      : value === undefined
        ? 'is not valid JSON'
        : entryProblem(value);
    if (!raw.terminated) {
      truncated = true;
      problems.push(truncation(raw.line, shape === undefined));
    }
    if (shape !== undefined) {
      if (raw.terminated) problems.push({ line: raw.line, kind: 'format', message: `line ${raw.line} ${shape}` });
      seqs.skip();
    } else {
      const entry = value as { seq: number; prev: string };
      entries += 1;
      const seqMessage = seqs.check(entry.seq);
      if (seqMessage !== undefined) problems.push({ line: raw.line, kind: 'sequence', message: `line ${raw.line}: ${seqMessage}` });
      if (entry.prev !== expectedPrev) breaks.push({ line: raw.line, previousIsEntry });
    }
    previousIsEntry = shape === undefined;
    expectedPrev = hash;
    if (raw.terminated) lastHash = hash;
  }

  const seqProblemLines = new Set(problems.filter((p) => p.kind === 'sequence').map((p) => p.line));
  problems.push(...locateChainBreaks(breaks, seqProblemLines));
  problems.sort((a, b) => a.line - b.line);
  return { ok: problems.length === 0, entries, problems, truncated, lastHash };
}

/**
 * Turns prev mismatches into the line that was changed. Editing line n changes its hash, so
 * only line n+1's prev stops matching; editing line n's own prev breaks n and n+1 together;
 * lines moved around break a longer run. A break on a line whose seq is also out of step is
 * a line missing or moved there, and is reported on that line.
 */
function locateChainBreaks(breaks: ChainBreak[], seqProblemLines: Set<number>): JournalProblem[] {
  const problems: JournalProblem[] = [];
  for (const run of consecutiveRuns(breaks)) {
    const first = run[0] as ChainBreak;
    const last = run[run.length - 1] as ChainBreak;
    if (run.length >= 3) {
      problems.push(
        chain(
          first.line,
          `lines ${first.line} to ${last.line - 1} are out of their original order or were altered: their prev hashes do not match the lines before them`,
        ),
      );
    } else if (run.length === 2) {
      problems.push(
        chain(
          first.line,
          `line ${first.line} was altered after it was written: its prev does not match ${before(first.line)}, and its own hash does not match the prev on line ${last.line}`,
        ),
      );
    } else if (first.line === 1) {
      problems.push(chain(1, 'line 1 does not start the chain (its prev is not 64 zeros): lines are missing before it, or it was altered'));
    } else if (seqProblemLines.has(first.line)) {
      problems.push(
        chain(
          first.line,
          `line ${first.line}'s prev does not match the hash of line ${first.line - 1}, which agrees with its seq being out of step`,
        ),
      );
    } else if (first.previousIsEntry) {
      problems.push(
        chain(
          first.line - 1,
          `line ${first.line - 1} was altered after it was written: its SHA-256 does not match the prev recorded on line ${first.line}`,
        ),
      );
    }
    // Otherwise the line before is not an entry at all, and its format problem already says so.
  }
  return problems;
}

function consecutiveRuns(breaks: ChainBreak[]): ChainBreak[][] {
  const runs: ChainBreak[][] = [];
  for (const item of breaks) {
    const current = runs[runs.length - 1];
    const tail = current?.[current.length - 1];
    if (current && tail && tail.line === item.line - 1) current.push(item);
    else runs.push([item]);
  }
  return runs;
}

function before(line: number): string {
  return line === 1 ? 'the start of the chain' : `line ${line - 1}`;
}

function chain(line: number, message: string): JournalProblem {
  return { line, kind: 'chain', message };
}

function truncation(line: number, parsed: boolean): JournalProblem {
  const message = parsed
    ? `line ${line} has no newline at its end: the journal was cut off right after it (probably a crash), not altered`
    : `line ${line} is incomplete: the journal was cut off while it was being written (probably a crash), not altered; the lines before it are unaffected by this`;
  return { line, kind: 'truncated', message };
}

/**
 * Follows seq from line to line. After a line whose seq is out of step, the next line may
 * continue from it or from the expected value, so one wrong seq is reported once, not on
 * every line after it.
 */
class SeqTracker {
  private accepted: number[] = [0];

  check(seq: number): string | undefined {
    const expected = this.accepted[0] ?? 0;
    if (this.accepted.includes(seq)) {
      this.accepted = [seq + 1];
      return undefined;
    }
    this.accepted = [seq + 1, ...this.accepted.map((value) => value + 1)].slice(0, 4);
    if (seq > expected) {
      const gap = seq - expected;
      return `seq ${seq} where ${expected} was expected: ${gap === 1 ? 'a line is' : `${gap} lines are`} missing before this one, or lines were moved`;
    }
    return `seq ${seq} where ${expected} was expected: a line was inserted, repeated or moved here`;
  }

  /** A line that is not an entry still takes a place in the sequence. */
  skip(): void {
    this.accepted = this.accepted.map((value) => value + 1);
  }
}
