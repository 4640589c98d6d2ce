/**
 * What plan-time preflights read from a target's network namespace, and the one shape every
 * reading has, whichever helper took it: a helper inside the namespace (netns-helper.ts) or
 * the namespace inspector, which enters many namespaces in turn (namespace-inspector.ts). Both
 * run NAMESPACE_SCRIPT there and feed its output to parseNamespaceOutput; the owners of each
 * listing (firewall.ts, traffic-control.ts, interface-names.ts) parse its text.
 *
 * Each listing is a fixed script of ours; nothing from a playbook or a target reaches a shell.
 * The output is delimited by lines that begin with a token drawn at random for each helper,
 * so text a target controls (an iptables comment, say) cannot pass for a delimiter.
 */

/** A listing of a namespace: the filter table of each iptables backend, the interfaces' addresses, the qdiscs. */
export type Listing = 'iptables' | 'addresses' | 'qdiscs';

/**
 * Lists the filter table of every backend the helper image has, each after a "== <backend>"
 * line. Legacy tables are only read when the namespace has some: reading creates them. The
 * check reads /proc/net, which shows the namespace of whoever reads it.
 */
export const IPTABLES_LISTING_SCRIPT = [
  'legacy_tables() {',
  '  [ -r /proc/net/ip_tables_names ] || return 1',
  '  while IFS= read -r table; do [ "$table" = filter ] && return 0; done < /proc/net/ip_tables_names',
  '  return 1',
  '}',
  'found=no',
  'for backend in nft legacy; do',
  '  command -v "iptables-$backend" >/dev/null 2>&1 || continue',
  '  found=yes',
  '  if [ "$backend" = legacy ] && ! legacy_tables; then continue; fi',
  '  echo "== $backend"',
  '  "iptables-$backend" -w 5 -S || exit',
  'done',
  'if [ "$found" = no ]; then echo "== default"; iptables -w 5 -S || exit; fi',
].join('\n');

/** Each listing's script, and the command people know it by (for messages). */
const LISTINGS: Record<Listing, { script: string; shown: string }> = {
  iptables: { script: IPTABLES_LISTING_SCRIPT, shown: 'iptables -S' },
  addresses: { script: 'ip -o addr show', shown: 'ip -o addr show' },
  qdiscs: { script: 'tc qdisc show', shown: 'tc qdisc show' },
};

export const LISTING_NAMES = Object.keys(LISTINGS) as Listing[];

/** The listings as people know them: "ip -o addr show, tc qdisc show". */
export function listingsShown(listings: readonly Listing[]): string {
  return listings.map((listing) => LISTINGS[listing].shown).join(', ');
}

/** A word quoted for a POSIX shell: our own fixed scripts, put into NAMESPACE_SCRIPT as text. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Run inside a namespace as `sh -c NAMESPACE_SCRIPT firedrill-netns <token> <where> <listing>…`.
 * For each listing, in order: "<token> begin <where> <listing>", what it printed, "<token>
 * stderr <where> <listing>", what it said on stderr, "<token> end <where> <listing> <exit code>".
 * `where` names the namespace in the output: "self", or the PID it was entered by.
 */
export const NAMESPACE_SCRIPT = [
  'token=$1; where=$2; shift 2',
  'for listing in "$@"; do',
  '  case $listing in',
  ...LISTING_NAMES.map((name) => `    ${name}) script=${quoted(LISTINGS[name].script)} ;;`),
  '    *) echo "no such listing: $listing" >&2; exit 2 ;;',
  '  esac',
  '  echo "$token begin $where $listing"',
  // The listing writes to the real stdout (fd 3); only its stderr is captured, then printed after.
  '  { err=$( { (eval "$script") 2>&1 1>&3 3>&-; } ); } 3>&1',
  '  status=$?',
  '  echo "$token stderr $where $listing"',
  '  if [ -n "$err" ]; then printf "%s\\n" "$err"; fi',
  '  echo "$token end $where $listing $status"',
  'done',
].join('\n');

/** A fresh delimiter token: "fd" and 16 hex digits. */
export function listingToken(): string {
  // Loaded on first use: the playbook schema imports this file, and validate and schema hash nothing.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  return `fd${randomBytes(8).toString('hex')}`;
}

/** The arguments NAMESPACE_SCRIPT takes after the script: its $0, the token, where, the listings. */
export function namespaceArguments(token: string, where: string, listings: readonly Listing[]): string[] {
  return ['firedrill-netns', token, where, ...listings];
}

/** What one listing printed, and how it ended. */
export interface ListingResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What NAMESPACE_SCRIPT printed, by `where`; and, from the inspector, how entering each PID ended. */
export interface NamespaceOutput {
  listings: Map<string, Map<Listing, ListingResult>>;
  /** "<token> entered <pid> <exit code>" lines (the inspector's): the exit code of nsenter and the script. */
  entered: Map<string, number>;
}

/**
 * Reads the delimited output. A listing counts only once it is complete (begin, stderr, end, in
 * that order, for the same namespace and listing); anything else is left out, so that a reading
 * cut short is never taken for an empty one.
 */
export function parseNamespaceOutput(output: string, token: string): NamespaceOutput {
  const listings = new Map<string, Map<Listing, ListingResult>>();
  const entered = new Map<string, number>();
  let open: { where: string; listing: Listing; phase: 'stdout' | 'stderr'; stdout: string[]; stderr: string[] } | undefined;
  const marker = new RegExp(`^${token} (begin|stderr|end|entered) (\\S+)(?: (\\S+))?(?: (\\d+))?$`);
  for (const line of output.split('\n')) {
    const found = marker.exec(line);
    if (!found) {
      if (open) open[open.phase].push(line);
      continue;
    }
    const [, kind, where = '', third, fourth] = found;
    if (kind === 'entered') {
      open = undefined;
      if (third !== undefined && /^\d+$/.test(third)) entered.set(where, Number(third));
    } else if (kind === 'begin') {
      open = isListing(third) ? { where, listing: third, phase: 'stdout', stdout: [], stderr: [] } : undefined;
    } else if (!open || open.where !== where || open.listing !== third) {
      open = undefined;
    } else if (kind === 'stderr' && open.phase === 'stdout') {
      open.phase = 'stderr';
    } else if (kind === 'end' && open.phase === 'stderr' && fourth !== undefined) {
      const of = listings.get(where) ?? new Map<Listing, ListingResult>();
      of.set(open.listing, { exitCode: Number(fourth), stdout: joined(open.stdout), stderr: joined(open.stderr) });
      listings.set(where, of);
      open = undefined;
    } else {
      open = undefined;
    }
  }
  return { listings, entered };
}

function isListing(word: string | undefined): word is Listing {
  return word !== undefined && (LISTING_NAMES as string[]).includes(word);
}

/** Lines as they were printed: each ended by a newline. */
function joined(lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** One target's namespace, as read: the container's name (for messages) and its listings. */
export interface NamespaceReading {
  name: string;
  listings: ReadonlyMap<Listing, ListingResult>;
}

/** Whether every listing asked for is there and ended with exit code 0. */
export function isCompleteReading(listings: ReadonlyMap<Listing, ListingResult> | undefined, asked: readonly Listing[]): boolean {
  return listings !== undefined && asked.every((listing) => listings.get(listing)?.exitCode === 0);
}

/** The text of one listing; a listing that failed, or is missing, throws with what it said. */
export function listingText(reading: NamespaceReading, listing: Listing): string {
  const result = reading.listings.get(listing);
  const { shown } = LISTINGS[listing];
  if (!result) throw new Error(`the helper's output has no complete \`${shown}\` of the network namespace of ${reading.name}`);
  if (result.exitCode !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ').slice(0, 400);
    throw new Error(
      `\`${shown}\` in the network namespace of ${reading.name} exited with code ${result.exitCode}${said ? `: ${said}` : ''}`,
    );
  }
  return result.stdout;
}
