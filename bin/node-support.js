// Which Node.js versions firedrill runs on, checked before anything else is imported: older
// Node versions fail deep inside dependencies (an "internal error" with a stack trace) instead
// of saying what is wrong. Plain JavaScript that any Node since 12 can parse; keep it so.

/** The versions in package.json's `engines.node` ("^22.13.0 || >=24.0.0"), as a rule. */
export const SUPPORTED_NODE = 'Node.js 22.13 or later in the 22 line, or 24 and later';

const END_OF_LIFE = {
  16: 'September 2023',
  18: 'April 2025',
  20: 'April 2026',
  21: 'June 2024',
  23: 'June 2025',
};

/**
 * undefined when `version` (e.g. "20.20.2") is supported; else the message to print.
 * @param {string} version
 * @returns {string | undefined}
 */
export function unsupportedNodeMessage(version) {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major >= 24 || (major === 22 && minor >= 13)) return undefined;
  const ended = END_OF_LIFE[major] ? ` (Node.js ${major} reached end of life in ${END_OF_LIFE[major]})` : '';
  return [
    `firedrill cannot run on Node.js ${version}${ended}.`,
    `It needs ${SUPPORTED_NODE}; Node.js 24 (LTS) is recommended.`,
    'Get one from https://nodejs.org/en/download, your package manager, or a version manager',
    '(e.g. `nvm install 24`), then run firedrill with that `node` first on your PATH.',
  ].join('\n');
}
