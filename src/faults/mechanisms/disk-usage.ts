import type { ExecResult } from '../../engine/ports.js';

/**
 * The shell side of the disk-fill fault: what runs inside the target (its own sh, df and
 * fallocate or dd) and how the answers are read. Paths are passed as arguments, never spliced
 * into a script. Every script answers on stdout with lines "key value…".
 */

/** The filesystem holding a path, as `df -P -k` and /proc/mounts describe it. */
export interface FilesystemUsage {
  /** Where it is mounted in the container ("/" for the container's own layer). */
  mount: string;
  /** As /proc/mounts names it: overlay, tmpfs, ext4 … ("unknown" when not found). */
  type: string;
  totalKiB: number;
  usedKiB: number;
  availableKiB: number;
}

export type FillTool = 'fallocate' | 'dd';

/** Exit codes of the scripts below that mean "the target cannot do this", not "it failed". */
export const UNFIT = { missingTool: 4, notADirectory: 5, fileExists: 6, notWritable: 7 } as const;

/**
 * Answers "df <name> <total> <used> <available> <capacity> <mount>" for the filesystem holding
 * $1 (df -P prints one line per filesystem, never wrapped), then "type <type>" from
 * /proc/mounts. Only sh builtins besides df: the target's image may have little else.
 */
const USAGE = [
  'df -P -k "$1" | {',
  '  read -r header; read -r name total used available capacity mount',
  '  echo "df $name $total $used $available $capacity $mount"',
  '  while read -r device at type rest; do if [ "$at" = "$mount" ]; then echo "type $type"; fi; done < /proc/mounts',
  '}',
].join('\n');

/** Arguments: the directory, the fill file. Answers "tool …", then as USAGE. */
export const PREFLIGHT_SCRIPT = [
  // The fill needs fallocate or dd; its clean-up needs rm, ls (to find the writer) and sleep.
  'for tool in df rm ls sleep; do',
  `  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed" >&2; exit ${UNFIT.missingTool}; }`,
  'done',
  'if command -v fallocate >/dev/null 2>&1; then echo "tool fallocate"; elif command -v dd >/dev/null 2>&1; then echo "tool dd"; ' +
    `else echo "neither fallocate nor dd is installed" >&2; exit ${UNFIT.missingTool}; fi`,
  `[ -d "$1" ] || { echo "$1 is not a directory" >&2; exit ${UNFIT.notADirectory}; }`,
  `[ -w "$1" ] || { echo "$1 is not writable (read-only?)" >&2; exit ${UNFIT.notWritable}; }`,
  `for left in "$2" "$2.writer"; do [ ! -e "$left" ] || { echo "$left exists already (left by an earlier drill? remove it)" >&2; exit ${UNFIT.fileExists}; }; done`,
  USAGE,
].join('\n');

/**
 * Arguments: the fill file, its size in KiB, the tool. Writes one file of exactly that size.
 *
 * The writer must never leave a file behind a revert, even when it outlives the call that
 * started it (Docker cannot end an exec'd process: an aborted or timed-out inject, or a
 * firedrill killed outright, leaves it running). So the shell first creates "<file>.writer"
 * (noclobber: never someone else's) and keeps it open on fd 4, which every process it starts
 * inherits: whatever holds that file is the writer, so /proc records the writer's PIDs, and
 * the clean-up kills exactly those processes. The file stays empty: a byte in it would take a
 * block that `percent: 100` has counted for the fill. Then it opens the fill file ONCE, on fd 3, and every write
 * goes through that descriptor (fallocate through /proc/self/fd/3, dd to its stdout): a
 * removed file is never created again by path. It falls back to dd when fallocate is refused
 * (filesystems without it); on failure it removes what it wrote, so a failed fill leaves
 * nothing behind; on success it removes the writer file.
 */
export const FILL_SCRIPT = [
  'set -C',
  `{ command exec 4>"$1.writer"; } 2>/dev/null || { echo "$1.writer exists already (another fill at work?)" >&2; exit ${UNFIT.fileExists}; }`,
  `{ command exec 3>"$1"; } 2>/dev/null || { rm -f -- "$1.writer"; echo "$1 exists already" >&2; exit ${UNFIT.fileExists}; }`,
  'fill_dd() {',
  '  mib=$(($1 / 1024)); rest=$(($1 % 1024))',
  '  dd if=/dev/zero bs=1048576 count="$mib" 2>&1 >&3 && dd if=/dev/zero bs=1024 count="$rest" 2>&1 >&3',
  '}',
  'if [ "$3" = fallocate ] && fallocate -l $(($2 * 1024)) /proc/self/fd/3; then rm -f -- "$1.writer"; exit 0; fi',
  // dd's report is kept in a variable: a file for it could land on the filesystem being filled.
  'if out=$(fill_dd "$2"); then rm -f -- "$1.writer"; exit 0; fi',
  'echo "$out" >&2; rm -f -- "$1" "$1.writer"; exit 1',
].join('\n');

/** Rounds of "stop the writer, remove, wait, look again" before the clean-up gives up. */
const CLEAN_ROUNDS = 25;

/**
 * Arguments: the directory, the fill file. Removes the fill file and its writer file, and
 * proves by observation that they stay gone:
 * - each round kills (SIGKILL) every process holding the writer file, i.e. the writer and its
 *   children if they are still at work, removes both files, waits 0.2 s and looks again: the
 *   files must not have come back and no writer may be left;
 * - then lists any other process that still holds the deleted fill file open (its space is
 *   not free while one does): "held <pid> <name>". Killed writers are "stopped <pid> <name>".
 * Holders are found from /proc/<pid>/fd links, which name a removed file "<path> (deleted)".
 * Exit 1 with the reason when the files keep coming back or a writer will not end. Answers as
 * USAGE last, for information only: other writers (the application) change the numbers.
 */
export const CLEAN_SCRIPT = [
  'file=$2; writer=$2.writer',
  'holders() {',
  '  ls -l /proc/[0-9]*/fd 2>/dev/null | while IFS= read -r line; do',
  '    case $line in',
  '      /proc/*/fd:) pid=${line#/proc/}; pid=${pid%%/*} ;;',
  '      *" -> $1"|*" -> $1 (deleted)") echo "$pid" ;;',
  '    esac',
  '  done',
  '}',
  'name_of() { name=; read -r name 2>/dev/null < "/proc/$1/comm"; echo "${name:-?}"; }',
  'round=0',
  'while :; do',
  '  for pid in $(holders "$writer"); do',
  '    name=$(name_of "$pid")',
  '    if kill -s KILL "$pid" 2>/dev/null; then echo "stopped $pid $name"; fi',
  '  done',
  '  rm -f -- "$file" "$writer" || { echo "rm could not remove $file" >&2; exit 1; }',
  '  sleep 0.2 2>/dev/null || sleep 1',
  '  if [ ! -e "$file" ] && [ ! -e "$writer" ] && [ -z "$(holders "$writer")" ]; then break; fi',
  '  round=$((round + 1))',
  `  if [ "$round" -ge ${CLEAN_ROUNDS} ]; then`,
  '    if [ -e "$file" ] || [ -e "$writer" ]; then echo "$file keeps coming back after rm: a writer is still at work" >&2',
  '    else set -- $(holders "$writer"); echo "the writer of $file (PID $*) does not end after SIGKILL" >&2; fi',
  '    exit 1',
  '  fi',
  'done',
  'for pid in $(holders "$file"); do echo "held $pid $(name_of "$pid")"; done',
  USAGE,
].join('\n');

/** A process the clean-up saw: a writer it stopped, or another holder of the deleted file. */
export interface CleanedProcess {
  pid: number;
  name: string;
}

/** Reads the clean-up's "stopped …" and "held …" lines (a writer may be listed in several rounds). */
export function parseClean(stdout: string): { stopped: CleanedProcess[]; held: CleanedProcess[] } {
  const read = (word: string): CleanedProcess[] => {
    const found = new Map<number, string>();
    for (const match of stdout.matchAll(new RegExp(`^${word} (\\d+) (.*)$`, 'gm'))) found.set(Number(match[1]), match[2]!);
    return [...found].map(([pid, name]) => ({ pid, name }));
  };
  return { stopped: read('stopped'), held: read('held') };
}

/** Reads the "df …" line (POSIX format: name, total, used, available, capacity, mount). */
export function parseDf(stdout: string): Omit<FilesystemUsage, 'type'> | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('df '));
  const match = line && /^df (.*\S)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)%?\s+(\/.*)$/.exec(line.trim());
  if (!match) return undefined;
  return { totalKiB: Number(match[2]), usedKiB: Number(match[3]), availableKiB: Number(match[4]), mount: match[6]! };
}

export function parsePreflight(result: ExecResult): { tool: FillTool; usage: FilesystemUsage } | undefined {
  const tool = /^tool (fallocate|dd)$/m.exec(result.stdout)?.[1] as FillTool | undefined;
  const df = parseDf(result.stdout);
  if (!tool || !df) return undefined;
  const type = /^type (\S+)$/m.exec(result.stdout)?.[1] ?? 'unknown';
  return { tool, usage: { ...df, type } };
}

/** Whether a file on this filesystem is removed with the container (its own layer, or a tmpfs). */
export function diesWithContainer(usage: FilesystemUsage): boolean {
  return usage.mount === '/' || usage.type === 'tmpfs';
}

/** KiB to write so that the filesystem is `percent` % used, as df counts it (used / (used + available)). */
export function kibToReach(percent: number, usage: FilesystemUsage): number {
  const usable = usage.usedKiB + usage.availableKiB;
  return Math.ceil((usable * percent) / 100) - usage.usedKiB;
}

export function percentUsed(usage: Pick<FilesystemUsage, 'usedKiB' | 'availableKiB'>): number {
  const usable = usage.usedKiB + usage.availableKiB;
  return usable === 0 ? 100 : Math.round((usage.usedKiB / usable) * 1000) / 10;
}
