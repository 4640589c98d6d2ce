import { parseYaml, type YamlLimits } from '../yaml/parse-yaml.js';
import { MIB, readSourceFile } from '../yaml/source-file.js';
import { countTokens } from './yaml-tokens.js';
import { composeCommandName } from './compose-command-name.js';

/**
 * Reads one compose YAML file within fixed bounds, so that any file up to the size limit is
 * answered quickly: its size, then how many YAML tokens it holds (counted by the lexer,
 * which stops at the limit), then the parse itself, which refuses syntax errors, duplicate
 * keys and alias bombs with their positions. Anchors and merge keys are honoured at any
 * real-world use; only what they add when expanded is bounded.
 */

export type ComposeYaml =
  | { ok: true; data: unknown /** YAML tokens read. */; tokens: number }
  | { ok: false; problem: string; hint?: string };

export const MAX_COMPOSE_BYTES = 4 * MIB;
/** About ten times the largest real compose files seen (sentry's self-hosted file has under 5,000). */
export const MAX_COMPOSE_TOKENS = 50_000;

const COMPOSE_YAML_LIMITS: YamlLimits = {
  // What expanding every alias may add; the expansion is sized without being done, so files
  // that reuse nested anchors many times (sentry's self-hosted one) are read as they are.
  maxAddedByAliases: 200_000,
  merge: true,
};
/** `tokenLimit`: what is left of the budget when several files make up one project. */
export async function readComposeYaml(path: string, tokenLimit = MAX_COMPOSE_TOKENS): Promise<ComposeYaml> {
  const source = await readSourceFile(path, MAX_COMPOSE_BYTES);
  if (!source.ok) return source;
  return parseComposeYaml(source.text, tokenLimit);
}

export function parseComposeYaml(text: string, tokenLimit = MAX_COMPOSE_TOKENS): ComposeYaml {
  const tokens = countTokens(text, tokenLimit);
  if (tokens > tokenLimit) {
    const which = tokenLimit === MAX_COMPOSE_TOKENS ? 'it holds' : 'with the files it includes or extends, it holds';
    return {
      ok: false,
      problem: `is too large to read: ${which} more than ${MAX_COMPOSE_TOKENS.toLocaleString('en')} YAML tokens (keys, values and punctuation), the most firedrill reads in a compose project`,
      hint: 'is this the right file? split it with include:, or name the project with topology.project and no composeFile',
    };
  }
  const parsed = parseYaml(text, COMPOSE_YAML_LIMITS);
  const first = parsed.problems[0];
  if (first) {
    const where = `line ${first.position.line}, column ${first.position.column}`;
    const hint = first.hint ?? `fix the compose file first; \`${composeCommandName()} config\` shows its problems`;
    return { ok: false, problem: `cannot be used: ${where}: ${first.message}`, hint };
  }
  return { ok: true, data: parsed.data, tokens };
}
