import { join } from 'node:path';
import { readSourceFile } from '../yaml/source-file.js';

/**
 * What a service built from a local Dockerfile runs: the image its final stage is built FROM
 * and the ENTRYPOINT and CMD that stage ends with. Only `Dockerfile` in the build context is
 * read, and only these instructions: the rest of the context (configuration files the image
 * happens to carry) says nothing about what runs.
 */

export interface DockerfileFacts {
  /** The final stage's base image, as written. */
  from?: string;
  /** ENTRYPOINT then CMD of the final stage, as one line ('' when neither is set). */
  runs: string;
}

const MAX_DOCKERFILE_BYTES = 256 * 1024;

export async function dockerfileFacts(buildContext: string): Promise<DockerfileFacts | undefined> {
  const source = await readSourceFile(join(buildContext, 'Dockerfile'), MAX_DOCKERFILE_BYTES);
  return source.ok ? parseDockerfile(source.text) : undefined;
}

export function parseDockerfile(text: string): DockerfileFacts {
  let from: string | undefined;
  let entrypoint = '';
  let cmd = '';
  for (const line of instructions(text)) {
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, keyword, rest] = match as unknown as [string, string, string];
    switch (keyword.toUpperCase()) {
      case 'FROM': {
        // A new stage starts afresh: what ran before belongs to an earlier stage.
        from = rest.split(/\s+/).find((word) => !word.startsWith('--'));
        entrypoint = '';
        cmd = '';
        break;
      }
      case 'ENTRYPOINT':
        entrypoint = commandLine(rest);
        break;
      case 'CMD':
        cmd = commandLine(rest);
        break;
    }
  }
  return { ...(from === undefined ? {} : { from }), runs: [entrypoint, cmd].filter(Boolean).join(' ') };
}

/** Instructions one per entry: comments dropped, backslash continuations joined. */
function instructions(text: string): string[] {
  const joined: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    joined.push((pending + line).trim());
    pending = '';
  }
  if (pending) joined.push(pending.trim());
  return joined;
}

/** The exec form (a JSON array) as words joined by spaces; the shell form as written. */
function commandLine(rest: string): string {
  if (rest.trimStart().startsWith('[')) {
    try {
      const words = JSON.parse(rest) as unknown;
      if (Array.isArray(words)) return words.map(String).join(' ');
    } catch {
      // Not valid JSON: docker runs it in a shell, as written.
    }
  }
  return rest.replace(/\s+/g, ' ').trim();
}
