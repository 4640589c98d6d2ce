import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { drainOutput } from './docker-output.js';
import type { ExecResult } from './ports.js';

/** Exec without a deadline of its own gets this one: a drill must never hang on a command. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

export class ExecTimeoutError extends Error {
  override name = 'ExecTimeoutError';
}

/**
 * Runs a command in a container: create, start (attached, no TTY), demultiplex stdout and
 * stderr, wait until the stream has ENDED (the exit code is not final before), then inspect.
 *
 * On timeout or abort the HTTP stream is destroyed and the promise rejects. Docker has no
 * way to kill an exec'd process, so the command may go on running inside the container.
 */
export async function runExec(
  docker: Docker,
  containerId: string,
  command: string[],
  opts: { timeoutMs?: number; signal?: AbortSignal },
): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  try {
    const exec = await docker
      .getContainer(containerId)
      .exec({ Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false, abortSignal: signal });
    const stream = (await exec.start({ hijack: false, stdin: false, Detach: false, Tty: false, abortSignal: signal })) as Readable;
    const { stdout, stderr } = await drainOutput(docker, stream, signal);
    const info = await exec.inspect({ abortSignal: signal });
    if (info.ExitCode === null || info.ExitCode === undefined) {
      throw new Error(`the command ended its output but Docker reports no exit code (Running: ${String(info.Running)})`);
    }
    return { exitCode: info.ExitCode, stdout, stderr };
  } catch (error) {
    if (deadline.aborted && !opts.signal?.aborted) {
      throw new ExecTimeoutError(`did not finish within ${timeoutMs}ms: ${command.join(' ')}`, { cause: error });
    }
    throw error;
  }
}
