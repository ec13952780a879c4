/**
 * The one Postgres connection a collector keeps between scrapes. It connects lazily, and after
 * anything that may have left the socket in an unknown state (a socket error, an abort at the
 * deadline, a failed connect) it drops the client so that the next call connects afresh.
 *
 * TLS follows `sslmode` (tls-options.ts). pg's `ssl` option never falls back to plain text, so
 * prefer and allow are carried out here as a second connection attempt.
 */
import net from 'node:net';
import pg from 'pg';
import { abortable, messageOf } from '../deadline.ts';
import { attemptsFor, fallsBack, type Attempt, type PgSsl, type PgTls } from './tls-options.ts';
import { tlsFailure } from '../tls/tls-trust.ts';

export const APPLICATION_NAME = 'vigil-cluster-agent';

export interface PgConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  /** Used both as the connect timeout and as the session's `statement_timeout`. */
  readonly timeoutMs: number;
  /** Default: sslmode=disable. */
  readonly tls?: PgTls;
}

/**
 * The session's `lock_timeout`. Table sizes open every table; one that a migration holds ACCESS
 * EXCLUSIVE (ALTER TABLE, VACUUM FULL) would otherwise stall the round until statement_timeout.
 */
const LOCK_TIMEOUT_MS = 1000;

export class PgConnection {
  #client: pg.Client | undefined;
  #socket: net.Socket | undefined;
  #connected = false;

  constructor(private readonly options: PgConnectionOptions) {}

  /** Runs one statement, connecting first when needed; rejects promptly when `signal` fires. */
  async query<R extends object>(sql: string, signal: AbortSignal, params: unknown[] = []): Promise<R[]> {
    const client = await this.#connect(signal);
    const result = await abortable(client.query<R>(sql, params), signal, () => this.reset());
    return result.rows;
  }

  /** Forgets the client (destroying its socket); the next query reconnects. */
  reset(): void {
    const client = this.#client;
    this.#socket?.destroy();
    this.#client = undefined;
    this.#socket = undefined;
    this.#connected = false;
    // end() after destroy() only settles pg's bookkeeping; it cannot block on the dead socket.
    client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#connected = false;
    if (client === undefined) return;
    try {
      await Promise.race([client.end(), new Promise((r) => setTimeout(r, 1000).unref())]);
    } finally {
      this.#socket?.destroy();
      this.#socket = undefined;
    }
  }

  async #connect(signal: AbortSignal): Promise<pg.Client> {
    if (this.#client !== undefined && this.#connected) return this.#client;
    const attempts = attemptsFor(this.options.tls ?? { sslmode: 'disable' });
    let first: { attempt: Attempt; err: unknown } | undefined;
    for (const [i, attempt] of attempts.entries()) {
      try {
        return await this.#attempt(await attempt.ssl(), signal);
      } catch (err) {
        const failure = attempt.required === undefined ? undefined : tlsFailure(err, attempt.required);
        const last = i === attempts.length - 1 || !fallsBack(err) || signal.aborted;
        if (!last) {
          first = { attempt, err };
          continue;
        }
        if (first === undefined) throw failure ?? err;
        // Both ways failed: the second error decides, the first says what was tried before it.
        const how = first.attempt.tls ? 'with TLS' : 'without TLS';
        throw new Error(`${messageOf(err)} (before that, ${how}: ${messageOf(first.err)})`, { cause: err });
      }
    }
    throw new Error('no connection attempt for the sslmode'); // unreachable: attemptsFor is never empty
  }

  async #attempt(ssl: PgSsl, signal: AbortSignal): Promise<pg.Client> {
    this.reset();
    const { host, port, user, password, database, timeoutMs } = this.options;
    // Our own socket, so that an abort can destroy it even while pg waits for the startup reply.
    const socket = new net.Socket();
    const client = new pg.Client({
      host,
      port,
      user,
      password,
      database,
      ssl,
      stream: () => socket,
      application_name: APPLICATION_NAME,
      statement_timeout: timeoutMs,
      lock_timeout: Math.min(LOCK_TIMEOUT_MS, timeoutMs),
      connectionTimeoutMillis: timeoutMs,
    });
    // An idle client's socket error is emitted here; unhandled it would crash the agent.
    client.on('error', () => this.#drop(client));
    client.on('end', () => this.#drop(client));
    this.#client = client;
    this.#socket = socket;
    try {
      await abortable(client.connect(), signal, () => this.reset());
    } catch (err) {
      this.reset();
      throw err;
    }
    this.#connected = true;
    return client;
  }

  #drop(client: pg.Client): void {
    if (this.#client === client) this.reset();
  }
}
