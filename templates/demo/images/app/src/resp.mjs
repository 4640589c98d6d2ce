// The RESP2 wire format redis speaks: commands out, replies in.
// Only what the demo needs; replies may arrive split across (or packed into) TCP chunks.

const CRLF = '\r\n';

/** An error reply from redis ("-READONLY You can't write against a read only replica."). */
export class RedisReplyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RedisReplyError';
  }
}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args) {
  let out = `*${args.length}${CRLF}`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}${CRLF}${text}${CRLF}`;
  }
  return out;
}

/**
 * Accumulates bytes and hands out complete replies in order. An error reply is returned as a
 * RedisReplyError value (not thrown): it answers one command and the stream goes on.
 */
export class ReplyReader {
  #buffer = Buffer.alloc(0);

  push(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /** The next complete reply as { value }, or undefined when more bytes are needed. */
  next() {
    const parsed = parseAt(this.#buffer, 0);
    if (!parsed) return undefined;
    this.#buffer = this.#buffer.subarray(parsed.end);
    return { value: parsed.value };
  }
}

/** Parses one reply starting at `start`; undefined when it is not complete yet. */
function parseAt(buffer, start) {
  const lineEnd = buffer.indexOf(CRLF, start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start]);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RedisReplyError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$':
      return parseBulk(buffer, Number(line), next);
    case '*':
      return parseArray(buffer, Number(line), next);
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

function parseBulk(buffer, length, start) {
  if (length < 0) return { value: null, end: start };
  if (buffer.length < start + length + 2) return undefined;
  return { value: buffer.toString('utf8', start, start + length), end: start + length + 2 };
}

function parseArray(buffer, count, start) {
  if (count < 0) return { value: null, end: start };
  const items = [];
  let position = start;
  for (let i = 0; i < count; i += 1) {
    const item = parseAt(buffer, position);
    if (!item) return undefined;
    items.push(item.value);
    position = item.end;
  }
  return { value: items, end: position };
}
