import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, InternalError, messageOf, UsageError } from '../errors.js';
import type { AnyDrillEvent, EventType } from './events.js';
import { GENESIS_PREV, lineHash, serializeEntry } from './entry.js';

/**
 * Events after which the journal is forced to disk: they are what `firedrill recover` reads
 * to find and revert faults after a crash, so they must survive one.
 */
const DURABLE_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'fault.injecting',
  'fault.applied',
  'fault.reverted',
  'faults.remaining',
  'drill.finished',
]);

/**
 * Appends events to a run's journal, one JSON line each, chained by SHA-256.
 *
 * Contract: writes are synchronous, so when `append` returns the line is in the file (and,
 * for the durable events above, on disk) before any other subscriber reacts. The writer never
 * opens a journal that already has content: a run's journal is written once, never rewritten.
 * Use it as the first EventBus subscriber: `bus.subscribe((e) => writer.append(e))`.
 */
export class JournalWriter {
  private fd: number | undefined;
  private seq = 0;
  private prev = GENESIS_PREV;
  private failure: string | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(path: string): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new EnvironmentError(
        `cannot create the journal ${path}: ${describe(error)} — check that the run directory exists and is writable`,
      );
    }
    if (fstatSync(fd).size > 0) {
      closeSync(fd);
      throw new UsageError(
        `refusing to write to the journal ${path}: it already has content, and a run's journal is never rewritten — start a new run directory`,
      );
    }
    syncDirectory(dirname(path));
    return new JournalWriter(path, fd);
  }

  /** Lines written so far. */
  get entries(): number {
    return this.seq;
  }

  /** SHA-256 of the last line written (64 zeros before the first): anchors the chain's head. */
  get lastHash(): string {
    return this.prev;
  }

  append(event: AnyDrillEvent): void {
    const fd = this.writableFd();
    const line = this.lineFor(event);
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    try {
      writeFully(fd, bytes);
      if (DURABLE_EVENTS.has(event.type)) fsyncSync(fd);
    } catch (error) {
      // A partial line may be on disk now; appending after it would hide the damage.
      this.failure = describe(error);
      throw new EnvironmentError(
        `could not write "${event.type}" to the journal ${this.path}: ${this.failure} — free disk space or check the file system; the drill cannot be recorded`,
      );
    }
    this.prev = lineHash(bytes.subarray(0, bytes.length - 1));
    this.seq += 1;
  }

  /** Forces the journal to disk and closes it. Safe to call more than once. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private lineFor(event: AnyDrillEvent): string {
    const entry = {
      seq: this.seq,
      time: event.time.toISOString(),
      monoNs: toJsonNs(event.monoNs),
      type: event.type,
      data: event.data,
      prev: this.prev,
    };
    try {
      return serializeEntry(entry);
    } catch (error) {
      throw new InternalError(`the "${event.type}" event is not plain JSON and cannot be journaled: ${describe(error)}`);
    }
  }

  private writableFd(): number {
    if (this.fd === undefined) throw new InternalError(`the journal ${this.path} was appended to after it was closed`);
    if (this.failure !== undefined) {
      throw new EnvironmentError(`the journal ${this.path} failed earlier (${this.failure}); nothing more is written to it`);
    }
    return this.fd;
  }
}

function writeFully(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function toJsonNs(monoNs: bigint): number {
  if (monoNs < 0n || monoNs > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InternalError(`event time ${monoNs}ns is outside what the journal can store exactly (0 to ${Number.MAX_SAFE_INTEGER}ns)`);
  }
  return Number(monoNs);
}

/** Makes the new file's directory entry durable, so a crash cannot lose the journal itself. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the file's own fsyncs still apply.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function describe(error: unknown): string {
  return messageOf(error);
}
