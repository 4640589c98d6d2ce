// Preloaded with `node --import` by test/e2e/start-imports.test.ts: records every module the
// process loads (its own files, packages and Node's built-ins alike) and writes their URLs, one a
// line, to the file FIREDRILL_MODULE_RECORD names when the process exits. stdout and stderr stay
// the command's own.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const recordFile = process.env.FIREDRILL_MODULE_RECORD;
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
if (recordFile) process.on('exit', () => writeFileSync(recordFile, [...loaded].join('\n')));
