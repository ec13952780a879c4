/**
 * The one MySQL connection a collector keeps between scrapes. It connects lazily, and after
 * anything that may have left the socket in an unknown state (a socket error, an abort at the
 * deadline, a failed connect) it drops the connection so that the next call connects afresh.
 *
 * TLS follows `tls` (tls-options.ts). mysql2 never falls back to plain text, so `preferred` is
 * carried out here: a second, plain attempt when the server's greeting offers no TLS.
 */
import net from 'node:net';
import mysql from 'mysql2/promise';
import { abortable } from '../deadline.ts';
import { tlsFailure } from '../tls/tls-trust.ts';
import { sslOptions, type MysqlTls } from './tls-options.ts';

export interface MysqlConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database?: string;
  /** mysql2's connect timeout (TCP connect and handshake). */
  readonly timeoutMs: number;
  /** Default: tls=false. */
  readonly tls?: MysqlTls;
}

/** A row as mysql2 hands it back for a text-protocol query. */
export type Row = Record<string, unknown>;

export class MysqlConnection {
  /** Any failure mid-query may leave the protocol out of step: start over next time. */
  readonly #resetIfFatal = (err: unknown): void => {
    if (isFatal(err)) this.reset();
  };
  #connection: mysql.Connection | undefined;

  constructor(private readonly options: MysqlConnectionOptions) {}

  /** Runs one statement, connecting first when needed; rejects promptly when `signal` fires. */
  async query(sql: string, signal: AbortSignal): Promise<Row[]> {
    const connection = await this.#connect(signal);
    const [rows] = await abortable(connection.query(sql), signal, () => this.reset(), this.#resetIfFatal);
    return Array.isArray(rows) ? (rows as Row[]) : [];
  }

  /** Forgets the connection (destroying its socket); the next query reconnects. */
  reset(): void {
    this.#connection?.destroy();
    this.#connection = undefined;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection === undefined) return;
    try {
      await Promise.race([connection.end(), new Promise((r) => setTimeout(r, 1000).unref())]);
    } catch {
      // A connection that cannot say goodbye is destroyed below all the same.
    } finally {
      connection.destroy();
    }
  }

  async #connect(signal: AbortSignal): Promise<mysql.Connection> {
    if (this.#connection !== undefined) return this.#connection;
    const tls = this.options.tls ?? { mode: 'false' };
    const ssl = await sslOptions(tls);
    try {
      return await this.#attempt(ssl, signal);
    } catch (err) {
      if (ssl === undefined) throw err;
      if (tls.mode === 'preferred' && errorCode(err) === 'HANDSHAKE_NO_SSL_SUPPORT' && !signal.aborted) {
        return await this.#attempt(undefined, signal);
      }
      throw (tls.mode === 'preferred' ? undefined : tlsFailure(err, `tls=${tls.mode}`)) ?? err;
    }
  }

  async #attempt(ssl: mysql.SslOptions | undefined, signal: AbortSignal): Promise<mysql.Connection> {
    const { host, port, user, password, database, timeoutMs } = this.options;
    const pending = mysql.createConnection({
      host,
      port,
      user,
      password: password ?? '',
      ...(database === undefined ? {} : { database }),
      ...(ssl === undefined ? {} : { ssl }),
      ...(ssl?.verifyIdentity === true && net.isIP(host) !== 0
        ? { stream: () => namedSocket(host, port) }
        : {}),
      connectTimeout: timeoutMs,
      // BIGINT counters (picoseconds, bytes) as numbers; precision past 2^53 does not matter here.
      supportBigNumbers: false,
    });
    // mysql2/promise gives no handle before the handshake ends, so an abort cannot destroy the
    // socket at once; a connection that completes after the abort is closed as soon as it does,
    // and one that never does gives up at the connect timeout.
    pending.then(
      (late) => {
        if (signal.aborted) late.destroy();
      },
      () => undefined,
    );
    const connection = await abortable(pending, signal, () => this.reset(), this.#resetIfFatal);
    // An idle connection's socket error is emitted here; unhandled it would crash the agent.
    connection.on('error', () => this.#drop(connection));
    connection.on('end', () => this.#drop(connection));
    this.#connection = connection;
    return connection;
  }

  /**
   * Forgets a connection the server closed, without destroying it: mysql2 fails a query still in
   * flight only from its socket's 'close' handler, which a destroy() here would silence, leaving
   * that query to hang until the deadline. The socket is closing on its own.
   */
  #drop(connection: mysql.Connection): void {
    if (this.#connection === connection) this.#connection = undefined;
  }
}

/**
 * A TCP socket to an IP address that tls.connect will check the server certificate against.
 * mysql2 leaves `servername` unset for an IP (SNI cannot carry one) and passes no `host`, so Node
 * falls back to the socket's `_host`, which net leaves null for an IP, and then to "localhost":
 * a certificate for localhost passed for 127.0.0.1 and one with the right IP SAN was refused.
 * Node's own fallback reads `_host`; setting it makes the check use the address, as Go's driver
 * does (tls.int.test.ts fails if this stops working).
 */
function namedSocket(host: string, port: number): net.Socket {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  return Object.assign(socket, { _host: host });
}

const errorCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/** mysql2 marks errors after which the connection cannot be used (`fatal`). */
function isFatal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'fatal' in err && err.fatal === true;
}

/** The server's error number (`errno`, e.g. 1064 ER_PARSE_ERROR), when the error came from it. */
export function serverErrno(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'errno' in err && typeof err.errno === 'number'
    ? err.errno
    : undefined;
}
