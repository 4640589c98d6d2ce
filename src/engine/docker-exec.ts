import { Writable, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecResult } from './ports.js';

/** Exec without a deadline of its own gets this one: a drill must never hang on a command. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/** Output kept per stream; a runaway command must not exhaust memory. */
const MAX_OUTPUT_BYTES = 1_000_000;

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
    const { stdout, stderr } = await drain(docker, stream, signal);
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

/** Resolves with both outputs once the multiplexed stream has ended; rejects on abort. */
function drain(docker: Docker, stream: Readable, signal: AbortSignal): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = collector();
    const err = collector();
    const onAbort = (): void => {
      stream.destroy();
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    docker.modem.demuxStream(stream, out.sink, err.sink);
    stream.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    stream.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve({ stdout: out.text(), stderr: err.text() });
    });
    // After 'end' this is a no-op; before it, the engine dropped the connection mid-output.
    stream.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error('the engine closed the output stream before the command ended'));
    });
  });
}

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  // The write callback is called synchronously, so every frame demuxStream hands over is
  // stored before the source stream emits 'end'.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (size < MAX_OUTPUT_BYTES) {
        chunks.push(chunk);
        size += chunk.length;
      }
      callback();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES).toString('utf8') };
}
