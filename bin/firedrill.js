#!/usr/bin/env node
// Runs the built CLI. Build first with `npm run build` (npm install does it through `prepare`).
// The Node.js version is checked before the CLI (and its dependencies) is imported.
import { unsupportedNodeMessage } from './node-support.js';

const ENVIRONMENT_ERROR = 3; // src/exit-codes.ts: the environment cannot run a drill
const INTERNAL_ERROR = 70;

const unsupported = unsupportedNodeMessage(process.versions.node);
if (unsupported) {
  process.stderr.write(`${unsupported}\n`);
  process.exit(ENVIRONMENT_ERROR);
}

// V8's compiled code for our modules and packages, kept between runs (in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command starts without compiling them again.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

const { existsSync } = await import('node:fs');
const { fileURLToPath } = await import('node:url');
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`firedrill is not built yet: run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(INTERNAL_ERROR);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
