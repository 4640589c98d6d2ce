import { formatIssue } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { validatePlaybooks, type PlaybookValidation } from '../../playbook/load.js';

/**
 * `firedrill validate <playbooks...>`: checks each playbook without touching Docker and
 * prints every problem as `file:line:column: message (hint)`, then a closing line; with
 * `--json`, one JSON document instead. `out` writes text as is (lines end in "\n").
 * Exit code: Passed when every playbook is valid, Usage otherwise.
 */
export async function validateCommand(files: string[], opts: { json?: boolean; out: (s: string) => void }): Promise<number> {
  const results = await validatePlaybooks(files);
  const problems = results.reduce((sum, result) => sum + result.issues.length, 0);
  opts.out(opts.json ? renderJson(results, problems) : renderText(results, problems));
  return problems === 0 && files.length > 0 ? ExitCode.Passed : ExitCode.Usage;
}

function renderText(results: PlaybookValidation[], problems: number): string {
  const lines = results.flatMap((result) => result.issues.map(formatIssue));
  lines.push(closingLine(results, problems));
  return `${lines.join('\n')}\n`;
}

/** "2 playbooks valid" · "3 problems in 1 of 2 playbooks" · "1 problem in 1 playbook". */
export function closingLine(results: PlaybookValidation[], problems: number): string {
  const total = results.length;
  if (total === 0) return 'no playbook given';
  if (problems === 0) return `${total} ${plural(total, 'playbook')} valid`;
  const failing = results.filter((result) => result.issues.length > 0).length;
  const where = total === 1 ? '1 playbook' : `${failing} of ${total} playbooks`;
  return `${problems} ${plural(problems, 'problem')} in ${where}`;
}

function renderJson(results: PlaybookValidation[], problems: number): string {
  const document = {
    valid: problems === 0 && results.length > 0,
    problems,
    playbooks: results.map((result) => ({ file: result.file, valid: result.issues.length === 0, issues: result.issues })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
