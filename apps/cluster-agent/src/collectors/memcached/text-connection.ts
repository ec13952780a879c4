/**
 * One TCP connection speaking the memcached text protocol for multi-line replies that end with
 * `END` (`stats`, `stats settings`…). One request at a time. Any failure (socket error, an
 * `ERROR`/`CLIENT_ERROR`/`SERVER_ERROR` line, an abort) destroys the socket: after a request was
 * given up, a late reply would be taken for the answer to the next one.
 */
import net from 'node:net';

/** A reply larger than this is not a stats reply; stops a wrong server from filling memory. */
const MAX_REPLY_BYTES = 1 << 20;
const ERROR_LINE = /^(ERROR|CLIENT_ERROR|SERVER_ERROR)\b/;

export interface TextConnection {
  /** False once the socket failed or was closed; open a new connection then. */
  readonly alive: boolean;
  /** Sends `command\r\n` and resolves with the reply up to (not including) its `END` line. */
  request(command: string, signal: AbortSignal): Promise<string>;
  destroy(): void;
}

/** Connects to host:port; rejects with the socket error, or `signal.reason` on abort. */
export function connectText(host: string, port: number, signal: AbortSignal): Promise<TextConnection> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const onAbort = (): void => fail(signal.reason);
    const fail = (err: unknown): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', fail);
      resolve(wrap(socket));
    });
  });
}

function wrap(socket: net.Socket): TextConnection {
  let alive = true;
  let buffer = '';
  // Where the first line not yet looked at starts, so each chunk scans only what is new.
  let lineStart = 0;
  let pending: { resolve: (reply: string) => void; reject: (err: unknown) => void } | undefined;

  const fail = (err: unknown): void => {
    alive = false;
    socket.destroy();
    const p = pending;
    pending = undefined;
    p?.reject(err);
  };

  socket.setEncoding('utf8');
  socket.on('error', fail);
  // 'end' (the server's FIN) comes before 'close'; mark the connection dead at once so that the
  // next round reconnects instead of writing into a half-closed socket.
  socket.on('end', () => fail(new Error('memcached closed the connection')));
  socket.on('close', () => fail(new Error('memcached closed the connection')));
  socket.on('data', (chunk: string) => {
    if (pending === undefined) return fail(new Error('memcached sent data nobody asked for'));
    buffer += chunk;
    if (buffer.length > MAX_REPLY_BYTES) return fail(new Error('memcached reply exceeds 1 MiB'));
    for (let end = buffer.indexOf('\r\n', lineStart); end >= 0; end = buffer.indexOf('\r\n', lineStart)) {
      const line = buffer.slice(lineStart, end);
      if (line === 'END') {
        const reply = buffer.slice(0, lineStart);
        const p = pending;
        buffer = '';
        lineStart = 0;
        pending = undefined;
        return p.resolve(reply);
      }
      if (ERROR_LINE.test(line)) return fail(new Error(`memcached answered "${line}"`));
      lineStart = end + 2;
    }
  });

  return {
    get alive() {
      return alive;
    },
    request(command: string, signal: AbortSignal): Promise<string> {
      if (!alive) return Promise.reject(new Error('connection is closed'));
      if (pending !== undefined) return Promise.reject(new Error('a request is already in flight'));
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<string>((resolve, reject) => {
        const onAbort = (): void => fail(signal.reason);
        const done = (): void => signal.removeEventListener('abort', onAbort);
        signal.addEventListener('abort', onAbort, { once: true });
        pending = {
          resolve: (reply) => {
            done();
            resolve(reply);
          },
          reject: (err) => {
            done();
            reject(err);
          },
        };
        buffer = '';
        lineStart = 0;
        socket.write(`${command}\r\n`);
      });
    },
    destroy(): void {
      alive = false;
      socket.destroy();
      pending?.reject(new Error('connection destroyed'));
      pending = undefined;
    },
  };
}
