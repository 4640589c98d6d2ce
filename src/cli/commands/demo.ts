import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { EnvironmentError } from '../../errors.js';
import { composeDown, composeUp } from '../../topology/compose-cli.js';
import { packageRoot } from '../../version.js';
import type { CliIo } from '../io.js';

export const DEMO_PROJECT = 'firedrill-demo';

/** Official images for machines that can reach a registry; the local base image otherwise. */
const OFFICIAL_IMAGES = {
  FIREDRILL_NGINX_IMAGE: 'nginx:1.27',
  FIREDRILL_NODE_IMAGE: 'node:22-slim',
  FIREDRILL_REDIS_IMAGE: 'redis:7',
};

export interface DemoOptions {
  down: boolean;
  images: 'local' | 'official';
  runsDir: string;
}

/**
 * `firedrill demo`: brings the bundled two-region topology up (building its images when
 * needed) and runs the region-loss drill against it. `--down` removes the topology.
 */
export async function demoCommand(opts: DemoOptions, io: CliIo): Promise<number> {
  const root = fileURLToPath(packageRoot);
  const file = join(root, 'templates', 'demo', 'docker-compose.yml');
  const say = (line: string) => io.stderr.write(`firedrill demo: ${line}\n`);

  await createDockerEngine().ping();
  if (opts.down) {
    say(`removing the demo topology (compose project ${DEMO_PROJECT})`);
    await composeDown({ file, project: DEMO_PROJECT, volumes: true });
    say('done');
    return 0;
  }
  if (opts.images === 'local') await ensureBaseImage(root, say);
  say(`building and starting the demo topology (compose project ${DEMO_PROJECT}); the first time takes a minute`);
  await composeUp({
    file,
    project: DEMO_PROJECT,
    build: true,
    wait: true,
    env: opts.images === 'official' ? OFFICIAL_IMAGES : {},
  });
  say('topology is up and healthy; running drills/region-loss.yaml');
  // The runner is most of firedrill: loaded now, it does not hold back the lines above.
  const { runCommand } = await import('./run.js');
  // Asking was `firedrill demo` itself: the drill acts only on the topology it just brought up.
  return runCommand(join(root, 'drills', 'region-loss.yaml'), { runsDir: opts.runsDir, json: false, yes: true }, io);
}

async function ensureBaseImage(root: string, say: (line: string) => void): Promise<void> {
  const script = join(root, 'templates', 'demo', 'images', 'build-base-image.sh');
  const present = await execa('docker', ['image', 'inspect', 'firedrill-base:bookworm'], { reject: false });
  if (present.exitCode === 0) return;
  say('the local base image firedrill-base:bookworm is missing; building it from Debian packages (about a minute)');
  const built = await execa('bash', [script], { reject: false, all: true });
  if (built.exitCode !== 0) {
    throw new EnvironmentError(
      `could not build the base image: ${String(built.all ?? '')
        .trim()
        .split('\n')
        .slice(-5)
        .join(' / ')}\n` +
        `Run \`sudo ${script}\` yourself, or use official images with \`firedrill demo --images official\` where a registry is reachable.`,
    );
  }
}
