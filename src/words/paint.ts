/**
 * The few emphases terminal output uses. Wording functions take a Paint so that the same sentence
 * is produced with or without colour; which colours (and whether any) is the caller's choice
 * (cli/ui/paint.ts holds the terminal's).
 */
export interface Paint {
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  strong(text: string): string;
}

/** No emphasis at all: plain text, the same words. */
export const PLAIN: Paint = {
  good: (text) => text,
  bad: (text) => text,
  warn: (text) => text,
  dim: (text) => text,
  strong: (text) => text,
};
