import { GENESIS_PREV, lineHash } from './entry.js';
import type { RawLine } from './lines.js';

/**
 * Follows a journal's sequence and hash chain line by line, for readers that tolerate damage
 * (a recovery looking for faults). A line deleted outright leaves no garbage behind: only the
 * next line's `seq` (one too far) and `prev` (the hash of a line that is no longer there) show
 * it — and the deleted line may have been a fault's record. So a break is damage, reported on
 * the line after the gap. verify.ts locates breaks more finely; this says only that one is there.
 *
 * After a line that is not an entry (damage reported already) the next entry is taken as it is:
 * whether the bad line replaced an entry or was put between two, it is damage either way, and
 * reporting the break it causes again would say nothing new.
 */
export class ChainFollower {
  private expectedSeq = 0;
  private expectedPrev = GENESIS_PREV;
  /** False right after a line that is not an entry: its hash and place say nothing. */
  private synced = true;

  /** A line that is not an entry: the next entry starts the chain afresh. */
  lost(): void {
    this.synced = false;
  }

  /** What breaks the chain at this entry's line, or undefined when it follows on. */
  follow(raw: RawLine, entry: { seq: number; prev: string }): string | undefined {
    const problem = this.synced ? this.breakAt(raw.line, entry) : undefined;
    this.expectedSeq = entry.seq + 1;
    this.expectedPrev = lineHash(raw.bytes);
    this.synced = true;
    return problem;
  }

  private breakAt(line: number, entry: { seq: number; prev: string }): string | undefined {
    const expected = this.expectedSeq;
    if (entry.seq !== expected) {
      if (line === 1) return `starts at seq ${entry.seq}, not 0: the lines before it are missing`;
      if (entry.seq > expected) {
        const gap = entry.seq - expected;
        return `jumps from seq ${expected - 1} to ${entry.seq}: ${gap === 1 ? 'a line is' : `${gap} lines are`} missing before it`;
      }
      return `goes back from seq ${expected - 1} to ${entry.seq}: a line is repeated or out of its place here`;
    }
    if (entry.prev !== this.expectedPrev) {
      return line === 1
        ? 'does not start the chain (its "prev" is not 64 zeros): a line before it is missing, or it was altered'
        : `does not follow line ${line - 1}: its "prev" does not match that line's SHA-256, so a line between them is missing or one of them was altered`;
    }
    return undefined;
  }
}
