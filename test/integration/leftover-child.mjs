// A process of its own that leaves behind what a firedrill killed at the wrong moment leaves:
// `helper '<HelperSpec as JSON>' <project>` creates a helper container through the Docker adapter's
// own code and never starts it; `lock <project> <image>` takes the project's lock. Then it prints
// "ready" and waits, for a test to kill it (SIGKILL) or leave it alive.
// Run with: node --experimental-transform-types leftover-child.mjs …
import { randomBytes } from 'node:crypto';
import { registerHooks } from 'node:module';

// The sources import each other as "./x.js"; here they are the .ts files themselves.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});

const source = (path) => import(new URL(`../../src/${path}`, import.meta.url).href);
const [what, ...args] = process.argv.slice(2);
if (what === 'helper') {
  const { default: Docker } = await import('dockerode');
  const { createHelperContainer } = await source('engine/docker-helper.ts');
  const [spec, project] = args;
  const container = await createHelperContainer(new Docker(), JSON.parse(spec), {
    name: `firedrill-helper-${randomBytes(8).toString('hex')}`,
    project,
  });
  process.stdout.write(`ready ${container.id}\n`);
} else if (what === 'lock') {
  const { createDockerEngine } = await source('engine/docker-engine.ts');
  const { acquireProjectLock } = await source('lock/project-lock.ts');
  const [project, image] = args;
  await acquireProjectLock(createDockerEngine(), {
    project,
    image,
    purpose: 'run',
    playbook: 'killed-before-its-journal',
    ttlMs: 3_600_000,
  });
  process.stdout.write('ready\n');
} else {
  throw new Error(`unknown leftover: ${what}`);
}
setInterval(() => undefined, 60_000);
