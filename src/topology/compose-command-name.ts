/**
 * The compose command messages suggest: the one this machine has (`docker-compose` for v1,
 * `docker compose` for the v2 plugin) once compose-cli.ts has detected it in this process,
 * else `docker compose`, which most machines have. Kept apart from the detection, which runs
 * processes, so that any message can ask for the name without loading it.
 */

const WHEN_UNKNOWN = 'docker compose';

let detected: string | undefined;

/** Called by the detection with the command it found, e.g. ["docker-compose"]. */
export function rememberComposeCommand(argv: readonly string[]): void {
  detected = argv.join(' ');
}

/** "docker compose" or "docker-compose", as a person types it. */
export function composeCommandName(): string {
  return detected ?? WHEN_UNKNOWN;
}
