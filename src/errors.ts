import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * The few error classes firedrill throws on purpose. Each carries its exit code;
 * only src/cli/main.ts catches them and turns them into output and an exit code.
 * Messages say what is wrong, where, and what to do next.
 */
export abstract class FiredrillError extends Error {
  abstract readonly exitCode: ExitCodeValue;
}

export interface PlaybookIssue {
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

/** Every problem found in one or more playbooks, each with its position. */
export class PlaybookError extends FiredrillError {
  readonly exitCode = ExitCode.Usage;
  constructor(readonly issues: PlaybookIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'PlaybookError';
  }
}

export function formatIssue(issue: PlaybookIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.hint ? `${where}: ${issue.message} (${issue.hint})` : `${where}: ${issue.message}`;
}

/** Wrong command-line usage. */
export class UsageError extends FiredrillError {
  readonly exitCode = ExitCode.Usage;
  override name = 'UsageError';
}

/** Docker unreachable, compose missing, project not found. */
export class EnvironmentError extends FiredrillError {
  readonly exitCode = ExitCode.Environment;
  override name = 'EnvironmentError';
}

/** A target outside the playbook's compose project, or no target at all. */
export class ScopeError extends FiredrillError {
  readonly exitCode = ExitCode.Usage;
  override name = 'ScopeError';
}

/** A defect: something that should not be possible. */
export class InternalError extends FiredrillError {
  readonly exitCode = ExitCode.Internal;
  override name = 'InternalError';
}

/** An earlier run left faults applied on this project: `firedrill recover` must run first. */
export class UnrecoveredRunError extends FiredrillError {
  readonly exitCode = ExitCode.RollbackIncomplete;
  override name = 'UnrecoveredRunError';
}

/**
 * Ends the messages of environment errors that `firedrill doctor` can explain (an engine that
 * does not answer, compose or the helper image missing): one place, so they all say it alike.
 */
export const DOCTOR_POINTER = '(run `firedrill doctor` to check this machine)';

/** An error's message, or the thrown value as text: for messages that carry a cause. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
