/**
 * The engine's refusal of an address asked for on connect. Nothing was connected. `reason`
 * says why: the address is held by another endpoint (`in-use`), the network's subnet was chosen
 * by the engine and this engine takes no requests there (`no-subnet`; Engine 20.10 among them),
 * or the address is not in the network's subnet any more (`outside-subnet`).
 */
export type AddressRefusal = 'in-use' | 'no-subnet' | 'outside-subnet';

export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';

  constructor(
    message: string,
    readonly reason: AddressRefusal,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isAddressRefused(error: unknown): error is AddressRefusedError {
  return error instanceof AddressRefusedError;
}

/** Which refusal the engine's message is, if it is one (checked on Engine 20.10). */
export function addressRefusalOf(message: string): AddressRefusal | undefined {
  if (/address already in use/i.test(message)) return 'in-use';
  if (/only when connecting to networks with user configured subnets/i.test(message)) return 'no-subnet';
  if (/does not belong to any of this network's subnets/i.test(message)) return 'outside-subnet';
  return undefined;
}
