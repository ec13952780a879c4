/**
 * Opens Vigil's ClickHouse: embedded chDB in the data directory by default, or a remote server
 * when a URL is configured. Both are driven through the same `@clickhouse/client` API, so the
 * rest of the package never knows which one it talks to — except the insert paths:
 * {@link Database.insertRaw} uses chDB's zero-copy insert and {@link Database.insertNative} a file
 * when embedded.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createChdbConnection, type ChdbConnection } from 'chdb/connection';
import { AppError, silentLogger, type Logger } from '@vigil/core';
import { compile, sql, type Sql } from './sql.ts';
import { toAppError } from './errors.ts';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/** Text formats the row encoders produce; both are line-delimited, so batches can be split. */
export type InsertFormat = 'JSONEachRow' | 'TSV';

/** A column of a Native body: its name and the type the body declares for it. */
export interface NativeColumn {
  readonly name: string;
  readonly type: string;
}

export interface OpenDatabaseOptions {
  /** ClickHouse HTTP(S) URL (user, password, TLS and settings in the URL). Unset: embedded chDB. */
  url?: string;
  /** Vigil's data directory; embedded chDB keeps its files in `<dataDir>/clickhouse`. */
  dataDir: string;
  /** Database holding Vigil's tables; created when missing. */
  database: string;
  logger?: Logger;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

/** An open ClickHouse database plus the typed helpers the stores use. */
export interface Database {
  readonly mode: 'embedded' | 'remote';
  /** Name of the database holding Vigil's tables. */
  readonly database: string;
  /** The underlying client, for the rare caller that needs more than the helpers. */
  readonly client: ClickHouseClient;
  /** A table of this database as a SQL fragment: `db.name`. */
  table(name: string): Sql;
  /** Runs a SELECT and returns its rows (JSONEachRow, so 64-bit integers arrive as numbers). */
  query<T>(statement: Sql, options?: QueryOptions): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, ALTER, INSERT … SELECT). */
  command(statement: Sql): Promise<void>;
  /** Inserts an already-encoded body; `columns` in the order the body's rows use. */
  insertRaw(table: string, columns: readonly string[], format: InsertFormat, body: Buffer): Promise<void>;
  /**
   * Inserts a body in ClickHouse's Native format (blocks with exactly `columns`, in order): as a
   * file the embedded engine reads, or as the body of an HTTP INSERT to a server.
   */
  insertNative(
    table: string,
    columns: readonly NativeColumn[],
    body: Buffer | readonly Buffer[],
  ): Promise<void>;
  /** True when the engine answers `SELECT 1`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// chDB binds one data directory per process and refuses a second one, so every Database opened
// on the same directory shares one connection; it closes when the last of them closes.
interface EmbeddedEngine {
  path: string;
  /** Where Native bodies wait for the engine to read them (see insertNative). */
  insertDir: string;
  connection: ChdbConnection;
  client: ClickHouseClient;
  refs: number;
}
let embedded: EmbeddedEngine | undefined;

/**
 * Writes `parts` one after the other to a new file, without joining them first: a block assembled
 * from many chunks is a few hundred buffers, and joining them meant a 17 MB allocation per batch
 * that kept V8 busy with external-memory GCs.
 */
async function writeParts(file: string, parts: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    // writev takes at most IOV_MAX (1024 on Linux) buffers per call.
    for (let i = 0; i < parts.length; i += 1024) await handle.writev(parts.slice(i, i + 1024));
  } finally {
    await handle.close();
  }
}

type ClientLog = NonNullable<ClickHouseClientConfigOptions['log']>;

/**
 * Routes @clickhouse/client's own log lines into the package Logger. Its errors are always also
 * thrown to us (and mapped in errors.ts), so they go to debug instead of being printed twice.
 */
function clientLog(logger: Logger): ClientLog {
  type Params = { module: string; message: string; args?: Record<string, unknown>; err?: Error };
  const fields = (p: Params): object => ({
    module: p.module,
    ...p.args,
    ...(p.err ? { err: p.err.message } : {}),
  });
  return {
    LoggerClass: class {
      trace(p: Params): void {
        logger.debug(fields(p), p.message);
      }
      debug(p: Params): void {
        logger.debug(fields(p), p.message);
      }
      info(p: Params): void {
        logger.debug(fields(p), p.message);
      }
      warn(p: Params): void {
        logger.warn(fields(p), p.message);
      }
      error(p: Params): void {
        logger.debug(fields(p), p.message);
      }
    },
  };
}

function acquireEmbedded(dataDir: string, logger: Logger): EmbeddedEngine {
  const enginePath = path.resolve(dataDir, 'clickhouse');
  if (embedded) {
    if (embedded.path !== enginePath) {
      throw new AppError(
        'internal',
        `chDB is already open at ${embedded.path}; one data directory per process`,
        {
          expose: false,
        },
      );
    }
    embedded.refs++;
    return embedded;
  }
  mkdirSync(enginePath, { recursive: true });
  const connection = createChdbConnection({ path: enginePath });
  // A process killed between writing a Native body and deleting it leaves the file behind. The
  // connection holds chDB's lock on the directory (a second process fails with "Cannot lock
  // file …/status"), so from here on whatever is in there is nobody's.
  const insertDir = path.join(enginePath, 'tmp-inserts');
  rmSync(insertDir, { recursive: true, force: true });
  mkdirSync(insertDir, { recursive: true });
  // chDB implements @clickhouse/client-common's Connection; @clickhouse/client 1.23 bundles its
  // own copy of those types, structurally equal but nominally distinct in two settings types.
  const client = createClient({
    connection: connection as unknown as ClientConnection,
    log: clientLog(logger),
  });
  embedded = { path: enginePath, insertDir, connection, client, refs: 1 };
  return embedded;
}

async function releaseEmbedded(engine: EmbeddedEngine): Promise<void> {
  engine.refs--;
  if (engine.refs > 0) return;
  if (embedded === engine) embedded = undefined;
  await engine.client.close();
}

/**
 * The server URL without a database path. @clickhouse/client turns `http://host:8123/telemetry`
 * into `database=telemetry` on every request, and ClickHouse refuses any request whose current
 * database does not exist (UNKNOWN_DATABASE), including the CREATE DATABASE that would create it.
 * Every statement here names its database, so the client's own stays `default`.
 */
function clientUrl(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return url; // the client reports a malformed URL itself
  const parsed = new URL(url);
  parsed.pathname = '/';
  return parsed.toString();
}

function columnList(columns: readonly string[]): Sql {
  // Nested columns (`Events.Timestamp`) are validated part by part.
  return sql.join(columns.map((c) => sql`${sql.identifier(...c.split('.'))}`));
}

/**
 * Opens (and creates if needed) Vigil's database. Embedded when `url` is unset: chDB at
 * `<dataDir>/clickhouse`. Remote otherwise, through the HTTP interface.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const logger = (options.logger ?? silentLogger).child({ component: 'clickhouse' });
  const dbName = options.database;
  const dbIdent = sql.identifier(dbName); // validates the name before anything runs
  const mode = options.url === undefined ? 'embedded' : 'remote';
  const engine = mode === 'embedded' ? acquireEmbedded(options.dataDir, logger) : undefined;
  const client = engine?.client ?? createClient({ url: clientUrl(options.url), log: clientLog(logger) });
  let closed = false;

  const run = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      throw toAppError(err, what);
    }
  };

  const db: Database = {
    mode,
    database: dbName,
    client,
    table: (name) => sql`${sql.identifier(dbName, name)}`,
    query: <T>(statement: Sql, queryOptions: QueryOptions = {}) =>
      run('query', async () => {
        const { query, params } = compile(statement);
        const result = await client.query({
          query,
          query_params: params,
          format: 'JSONEachRow',
          ...(queryOptions.signal ? { abort_signal: queryOptions.signal } : {}),
        });
        return result.json<T>();
      }),
    command: (statement) =>
      run('command', async () => {
        const { query, params } = compile(statement);
        await client.command({ query, query_params: params });
      }),
    insertRaw: (table, columns, format, body) =>
      run(`insert into ${table}`, async () => {
        const target = sql`${sql.identifier(dbName, table)} (${columnList(columns)})`; // validates names
        if (body.length === 0) return;
        if (engine) {
          // Zero-copy: the Buffer goes straight to chDB's parallel parser.
          await engine.connection.chdb.rawInsert({
            table: `${dbName}.${table}`,
            columns,
            format,
            values: body,
          });
          return;
        }
        const formatName = format === 'TSV' ? 'TabSeparated' : 'JSONEachRow';
        const { query } = compile(sql`INSERT INTO ${target} FORMAT ${sql.identifier(formatName)}`);
        // exec streams the bytes as they are; insert() would re-encode JSON rows as objects.
        const result = await client.exec({ query, values: Readable.from([body], { objectMode: false }) });
        result.stream.resume();
        await new Promise<void>((resolve, reject) => {
          result.stream.once('end', resolve).once('error', reject);
        });
      }),
    insertNative: (table, columns, body) =>
      run(`insert into ${table}`, async () => {
        const names = columns.map((c) => c.name);
        const target = sql`${sql.identifier(dbName, table)} (${columnList(names)})`; // validates names
        const parts: readonly Buffer[] = Buffer.isBuffer(body) ? [body] : body;
        if (!parts.some((p) => p.length > 0)) return;
        if (!engine) {
          // A server reads Native over HTTP as it is; exec streams the bytes unchanged.
          const { query } = compile(sql`INSERT INTO ${target} FORMAT Native`);
          const result = await client.exec({ query, values: Readable.from(parts, { objectMode: false }) });
          result.stream.resume();
          await new Promise<void>((resolve, reject) => {
            result.stream.once('end', resolve).once('error', reject);
          });
          return;
        }
        // chDB's rawInsert takes text formats only, so the body reaches the engine as a file.
        // The data dir, not /dev/shm: writing + deleting 31 MB measured 12 ms there vs 18 ms on
        // tmpfs, and containers often give /dev/shm just 64 MB. file() with the structure given,
        // rather than inferred: inference reads the whole first block, i.e. the body twice.
        const file = path.join(engine.insertDir, `${randomUUID()}.native`);
        const structure = columns.map((c) => `\`${c.name}\` ${c.type}`).join(', ');
        try {
          await writeParts(file, parts);
          const { query, params } = compile(
            sql`INSERT INTO ${target} SELECT * FROM file(${file}, 'Native', ${structure})`,
          );
          await client.command({ query, query_params: params });
        } finally {
          // A failed delete must not turn a stored batch into a failed one (the retry would store
          // it twice); the file is removed at the next start at the latest.
          await rm(file, { force: true }).catch((err: unknown) =>
            logger.warn({ file, err: String(err) }, 'could not delete a Native insert file'),
          );
        }
      }),
    ping: async () => {
      if (closed) return false;
      // `select: true` runs SELECT with the credentials; the default `/ping` answers "Ok." to
      // anyone, so a server that now refuses our password would still look healthy.
      const result = await client.ping({ select: true });
      return result.success;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (engine) await releaseEmbedded(engine);
      else await client.close();
    },
  };

  try {
    await db.command(sql`CREATE DATABASE IF NOT EXISTS ${dbIdent}`);
  } catch (err) {
    await db.close();
    throw err;
  }
  logger.info({ mode, database: dbName }, 'opened ClickHouse');
  return db;
}
