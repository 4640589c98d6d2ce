/**
 * Characters that must never reach a message raw, wherever the text comes from (a playbook, a
 * config file, a journal): C0 and C1 controls and DEL (a newline starts a new line, an ANSI or
 * OSC sequence drives the terminal), line and paragraph separators, bidirectional overrides,
 * embeddings, isolates and marks and the byte order mark (they reorder or hide what a reader
 * sees), and lone surrogates (not encodable as UTF-8). One list, used by every echo of input.
 */
export const UNSAFE_TEXT = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu;
