/**
 * What a revert could not give back as it was, as facts: one per container, network and aspect,
 * with the value recorded before the fault and the value observed after the revert. The journal
 * keeps these (`fault.reverted` → `differences`); the live log, the plain log and every report
 * turn them into words with `differenceText`, the one place they are worded.
 *
 * Journals from before the facts were recorded hold the sentence itself (a string): it is shown
 * as it is, and counts as what it was then, a difference that does not fail the drill.
 */

/**
 * - ipv4, ipv6, mac: the endpoint's address on the network;
 * - address-configured: the address the engine asks for whenever the container starts (compose's
 *   `ipv4_address`, or one a revert had to ask for);
 * - interface: the name of the interface inside the container (eth0 …).
 */
export type DifferenceAspect = 'ipv4' | 'ipv6' | 'mac' | 'address-configured' | 'interface';

export interface RevertDifference {
  /** The container's name. */
  container: string;
  /** The network the endpoint is on; absent for an aspect of the container as a whole. */
  network?: string;
  aspect: DifferenceAspect;
  /** As recorded before the fault; null: none (no address configured, say). */
  before: string | null;
  /** As observed after the revert; null: none, or not observed (then `unobserved` says why). */
  after: string | null;
  /** Why the value after the revert could not be observed (a helper that could not read it back). */
  unobserved?: string;
}

/** A difference as a journal holds it: the facts, or the sentence an older firedrill wrote. */
export type JournaledDifference = RevertDifference | string;

/**
 * What other containers can observe: the address a name resolves to, the MAC address their ARP
 * tables hold, the address the endpoint will ask for at its next start. A revert that leaves one
 * of these other than it was has not given the topology back as found, and fails the drill. An
 * interface name is seen only from inside the container itself, and engines before 28 cannot be
 * asked for one: reported, but no failure.
 */
const SEEN_BY_OTHERS: ReadonlySet<DifferenceAspect> = new Set(['ipv4', 'ipv6', 'mac', 'address-configured']);

/** Whether this difference is one other containers can observe (an older journal's sentence is not counted). */
export function isSeenByOthers(difference: JournaledDifference): boolean {
  return typeof difference !== 'string' && SEEN_BY_OTHERS.has(difference.aspect);
}

/** The differences of a revert that make it not exact: the topology is not as it was found. */
export function notExact(differences: readonly JournaledDifference[] | undefined): JournaledDifference[] {
  return (differences ?? []).filter(isSeenByOthers);
}

/** The one sentence for a difference; an older journal's sentence as it is. */
export function differenceText(difference: JournaledDifference): string {
  if (typeof difference === 'string') return difference;
  const { container, network, before, after } = difference;
  const on = network === undefined ? container : `${container} on network ${network}`;
  switch (difference.aspect) {
    case 'ipv4':
    case 'ipv6': {
      const family = difference.aspect === 'ipv4' ? 'IPv4' : 'IPv6';
      return `${on} has the ${family} address ${after ?? 'none'}, not ${before ?? 'none'} as before: names resolved before the drill lead elsewhere`;
    }
    case 'mac':
      return `${on} has the MAC address ${after ?? 'none'}, not ${before ?? 'none'} as before`;
    case 'address-configured':
      return (
        `${on} now has ${configuredWords(after)} configured, where it had ${configuredWords(before)} before` +
        (after !== null ? ': the engine asks for it again whenever the container starts' : '')
      );
    case 'interface': {
      if (difference.unobserved !== undefined) {
        return `the interface of ${on} could not be read back (${difference.unobserved}); before, it was ${before ?? 'none'}`;
      }
      const through = network === undefined ? `${container} is` : `${container} is on network ${network}`;
      return `${through} through interface ${after ?? '(none found)'}, not ${before ?? 'none'} as before`;
    }
  }
}

function configuredWords(addresses: string | null): string {
  return addresses === null ? 'no address' : `the address ${addresses}`;
}
