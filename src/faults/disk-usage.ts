import type { ExecResult } from '../engine/ports.js';

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
  `command -v df >/dev/null 2>&1 || { echo "df is not installed" >&2; exit ${UNFIT.missingTool}; }`,
  'if command -v fallocate >/dev/null 2>&1; then echo "tool fallocate"; elif command -v dd >/dev/null 2>&1; then echo "tool dd"; ' +
    `else echo "neither fallocate nor dd is installed" >&2; exit ${UNFIT.missingTool}; fi`,
  `[ -d "$1" ] || { echo "$1 is not a directory" >&2; exit ${UNFIT.notADirectory}; }`,
  `[ -w "$1" ] || { echo "$1 is not writable (read-only?)" >&2; exit ${UNFIT.notWritable}; }`,
  `[ ! -e "$2" ] || { echo "$2 exists already (left by an earlier drill? remove it)" >&2; exit ${UNFIT.fileExists}; }`,
  USAGE,
].join('\n');

/**
 * Arguments: the fill file, its size in KiB, the tool. Writes one file of exactly that size;
 * falls back to dd when fallocate is refused (filesystems without it); on failure removes what
 * it wrote, so a failed fill leaves nothing behind.
 */
export const FILL_SCRIPT = [
  'fill_dd() {',
  '  mib=$(($2 / 1024)); rest=$(($2 % 1024))',
  '  dd if=/dev/zero of="$1" bs=1048576 count="$mib" 2>&1 &&',
  '    dd if=/dev/zero of="$1" bs=1024 count="$rest" seek=$((mib * 1024)) conv=notrunc 2>&1',
  '}',
  'if [ "$3" = fallocate ] && fallocate -l $(($2 * 1024)) "$1"; then exit 0; fi',
  // dd's report is kept in a variable: a file for it could land on the filesystem being filled.
  'if out=$(fill_dd "$1" "$2"); then exit 0; fi',
  'echo "$out" >&2; rm -f "$1"; exit 1',
].join('\n');

/** Arguments: the directory, the fill file. Removes the file, checks it is gone, then answers as USAGE. */
export const CLEAN_SCRIPT = [
  'rm -f -- "$2"',
  'if [ -e "$2" ]; then echo "$2 is still there after rm" >&2; exit 1; fi',
  USAGE,
].join('\n');

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
