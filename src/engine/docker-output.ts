import { Writable, type Readable } from 'node:stream';
import type Docker from 'dockerode';

/**
 * Reading a command's output from the engine: an exec's output stream and a helper
 * container's attach stream are the same multiplexed format (no TTY), and both must be read
 * to their end before the command's exit code is final.
 */

/** Output kept per stream; a runaway command must not exhaust memory. */
const MAX_OUTPUT_BYTES = 1_000_000;

/**
 * Resolves with both outputs, demultiplexed, once the stream has ENDED. Rejects when the
 * signal aborts (the stream is destroyed then), on a stream error, or when the engine closes
 * the stream before its end.
 */
export function drainOutput(docker: Docker, stream: Readable, signal: AbortSignal): Promise<{ stdout: string; stderr: string }> {
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
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    stream.once('error', (error) => {
      settle();
      reject(error);
    });
    stream.once('end', () => {
      settle();
      resolve({ stdout: out.text(), stderr: err.text() });
    });
    // After 'end' this is a no-op; before it, the engine dropped the connection mid-output.
    stream.once('close', () => {
      settle();
      reject(new Error('the engine closed the output stream before the command ended'));
    });
  });
}

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  // The write callback runs synchronously, so every frame demuxStream hands over is stored
  // before the source stream emits 'end'.
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
