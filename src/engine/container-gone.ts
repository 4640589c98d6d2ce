/**
 * The engine's answer when a container no longer exists: removed, or replaced by a new one
 * (compose recreates containers under new ids). Reverts treat it as a fact to record, not as a
 * failure: nothing a fault did to a container can outlive the container.
 */
export class ContainerGoneError extends Error {
  override name = 'ContainerGoneError';
}

export function isContainerGone(error: unknown): error is ContainerGoneError {
  return error instanceof ContainerGoneError;
}
