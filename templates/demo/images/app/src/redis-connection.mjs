import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import net from 'node:net';
import { encodeCommand, RedisReplyError, ReplyReader } from './resp.mjs';

// Names are resolved with c-ares (not getaddrinfo on libuv's small thread pool) and a short
// timeout: while a region is down its names stop resolving, and a lookup that hangs must
// neither block other lookups nor outlive the command that needed it.
const resolver = new Resolver({ timeout: 300, tries: 1 });

/**
 * One pipelined connection to a redis server, opened on first use and again after any
 * failure. Every command has a deadline that covers resolving and connecting too. When a
 * deadline passes or the socket fails, the connection is dropped and every command still
 * waiting on it is rejected: on a pipelined connection nobody can tell which late reply
 * would have been whose.
 */
export class RedisConnection {
  #socket = null;
  #connecting = null;
  #pending = [];
  #reader = new ReplyReader();

  constructor(host, { port = 6379, timeoutMs = 500 } = {}) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  /** Sends one command; resolves with its reply, rejects on an error reply or a failure. */
  command(...args) {
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, settled: false };
      entry.timer = setTimeout(() => this.#drop(new Error(`${this.host}: no reply within ${this.timeoutMs}ms`)), this.timeoutMs);
      this.#pending.push(entry);
      this.#open().then(
        (socket) => {
          if (!entry.settled) socket.write(encodeCommand(args));
        },
        (error) => this.#drop(error),
      );
    });
  }

  #open() {
    if (!this.#connecting) this.#connecting = this.#connect();
    return this.#connecting;
  }

  async #connect() {
    const address = isIP(this.host) ? this.host : await resolveName(this.host);
    const socket = net.connect({ host: address, port: this.port });
    socket.setNoDelay(true);
    this.#socket = socket;
    this.#reader = new ReplyReader();
    socket.on('data', (chunk) => socket === this.#socket && this.#receive(chunk));
    socket.on('error', (error) => socket === this.#socket && this.#drop(new Error(`${this.host}: ${error.message}`)));
    socket.on('close', () => socket === this.#socket && this.#drop(new Error(`${this.host}: connection closed`)));
    return socket;
  }

  #receive(chunk) {
    this.#reader.push(chunk);
    for (let reply = this.#reader.next(); reply; reply = this.#reader.next()) {
      const entry = this.#pending.shift();
      if (!entry) continue;
      settle(entry);
      if (reply.value instanceof RedisReplyError) entry.reject(reply.value);
      else entry.resolve(reply.value);
    }
  }

  /** Forgets the connection and rejects every command waiting on it. Safe to call twice. */
  #drop(error) {
    const socket = this.#socket;
    this.#socket = null;
    this.#connecting = null;
    socket?.destroy();
    const waiting = this.#pending;
    this.#pending = [];
    for (const entry of waiting) {
      settle(entry);
      entry.reject(error);
    }
  }

  close() {
    this.#drop(new Error(`${this.host}: connection closed by the app`));
  }
}

function settle(entry) {
  entry.settled = true;
  clearTimeout(entry.timer);
}

async function resolveName(host) {
  try {
    const [address] = await resolver.resolve4(host);
    return address;
  } catch (error) {
    throw new Error(`${host}: name does not resolve (${error.code ?? error.message})`);
  }
}
