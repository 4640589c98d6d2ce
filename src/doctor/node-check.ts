import { finding, type Finding } from './findings.js';

/**
 * The rule of package.json's `engines.node` ("^22.13.0 || >=24.0.0"), which bin/node-support.js
 * applies before anything is imported; a unit test keeps the two in step. Doctor still checks:
 * the built CLI can be started by other means than bin/firedrill.js.
 */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major >= 24 || (major === 22 && minor >= 13);
}

export function checkNode(version: string): Finding {
  return isSupportedNode(version)
    ? finding('node', 'ok', 'node.supported', { version })
    : finding('node', 'fail', 'node.unsupported', { version });
}
