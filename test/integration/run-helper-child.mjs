// A process of its own that runs one helper container through the Docker adapter and waits for
// it, so that a test can kill this process (SIGKILL) while the helper runs.
// Run with: node --experimental-transform-types run-helper-child.mjs '<HelperSpec as JSON>'
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

const { createDockerEngine } = await import(new URL('../../src/engine/docker-engine.ts', import.meta.url).href);
const spec = JSON.parse(process.argv[2]);
const result = await createDockerEngine().runHelper(spec, { timeoutMs: 120_000 });
process.stdout.write(`${JSON.stringify(result)}\n`);
