import { execa } from 'execa';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { detectCompose } from '../../src/topology/compose-cli.js';

export const BASE_IMAGE = 'firedrill-base:bookworm';

/**
 * vitest globalSetup for the Docker-backed projects: fails the run, loudly and with the fix,
 * when Docker, compose or the local base image is missing. Never skips.
 */
export default async function setup(): Promise<void> {
  const engine = createDockerEngine();
  try {
    await engine.ping({ signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The integration and e2e tests need a Docker Engine. ${cause}\n` +
        'Start one with `sudo dockerd > /tmp/dockerd.log 2>&1 &` (or `sudo systemctl start docker`), ' +
        'or point DOCKER_HOST at a running engine, then run the tests again.',
    );
  }
  await detectCompose();
  const image = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', BASE_IMAGE], { reject: false });
  if (image.exitCode !== 0) {
    throw new Error(
      `The test topologies run the local image ${BASE_IMAGE}, which is missing on ${engine.endpoint}.\n` +
        'Build it once with `sudo templates/demo/images/build-base-image.sh` (about a minute; no registry needed).',
    );
  }
}
