/**
 * An emulation of ClickHouse's HTTP interface (the part `@clickhouse/client` uses) in front of the
 * real ClickHouse engine, chDB. The SQL, formats, settings, parameter binding and error texts are
 * the engine's own; the HTTP layer around them (routes, authentication, compression, headers,
 * status codes) follows ClickHouse's `HTTPHandler`. See README.md for what is and is not covered.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { Engine } from './engine.ts';
import { ClickHouseException, exceptionResponse } from './exceptions.ts';
import { parseRequest, readBody, type ParsedRequest } from './request.ts';

export interface EmulatorOptions {
  /** chDB data directory; one per process (chDB binds one directory per process). */
  dataDir: string;
  /** The one user the emulator knows (default `default`). */
  user?: string;
  /** Its password (default empty, like a fresh server's `default` user). */
  password?: string;
  /** Setting defaults of an older release (ClickHouse's `compatibility` setting), e.g. `24.8`. */
  compatibility?: string;
  /** The server's time zone (default: the engine's, UTC here), applied as `session_timezone`. */
  timezone?: string;
}

/** A running emulator: its Node HTTP server and the engine behind it. */
export interface Emulator {
  server: http.Server;
  engine: Engine;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=UTF-8';
const NATIVE_FORMAT_RE = /\bFORMAT\s+Native\s*;?\s*$/i;

// ClickHouse's output formats announce these content types; anything else is text/plain.
function contentType(format: string): string {
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent';
  if (/EachRow|^JSONLines$|^NDJSON$/i.test(format)) return 'application/x-ndjson; charset=UTF-8';
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  return TEXT;
}

const INSERT_RE = /^\s*INSERT\b/i;
const FORMAT_RE = /\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$/i;

/** The output format a statement will use: its trailing FORMAT clause, else the default. */
function outputFormat(request: ParsedRequest): string | undefined {
  if (INSERT_RE.test(request.sql)) return undefined; // its FORMAT names the input
  return FORMAT_RE.exec(request.sql)?.[1] ?? request.defaultFormat ?? 'TabSeparated';
}

/** Compresses the response when asked to (enable_http_compression=1 + Accept-Encoding). */
function responseEncoding(
  req: IncomingMessage,
  request: ParsedRequest,
): 'gzip' | 'deflate' | 'br' | undefined {
  const enabled = request.settings.some(
    ([k, v]) => k === 'enable_http_compression' && (v === '1' || v === 'true'),
  );
  if (!enabled) return undefined;
  const accepted = String(req.headers['accept-encoding'] ?? '').toLowerCase();
  return (['gzip', 'deflate', 'br'] as const).find((codec) => accepted.includes(codec));
}

function compress(body: Uint8Array, encoding: 'gzip' | 'deflate' | 'br' | undefined): Uint8Array {
  if (encoding === 'gzip') return zlib.gzipSync(body);
  if (encoding === 'deflate') return zlib.deflateSync(body);
  if (encoding === 'br') return zlib.brotliCompressSync(body);
  return body;
}

const NO_HANDLER =
  'There is no handle {path}\n\nUse / or /ping for health checks.\nOr /replicas_status for more sophisticated health checks.\n\n' +
  'Send queries from your program with POST method or GET /?query=...\n';

/** Builds the emulator; call `server.listen` to serve. */
export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const profile: Array<[string, string]> = [];
  if (options.compatibility) profile.push(['compatibility', options.compatibility]);
  if (options.timezone) profile.push(['session_timezone', options.timezone]);
  const engine = new Engine(options.dataDir, profile);
  await engine.init();
  const user = options.user ?? 'default';
  const password = options.password ?? '';

  /**
   * Runs a request's statement. chDB takes statements as text, so the binary body of an
   * `INSERT … FORMAT Native` becomes a file the same INSERT reads with `SELECT * FROM file()`.
   */
  const execute = async (request: ParsedRequest) => {
    const readonly = request.method !== 'POST';
    if (!request.nativeBody) return engine.execute({ ...request, readonly });
    const file = path.join(options.dataDir, `insert-${randomUUID()}.native`);
    await writeFile(file, request.nativeBody, { mode: 0o600 });
    try {
      const literal = `'${file.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      const sql = request.sql.replace(NATIVE_FORMAT_RE, `SELECT * FROM file(${literal}, 'Native')`);
      return await engine.execute({ ...request, sql, readonly });
    } finally {
      await rm(file, { force: true });
    }
  };

  const serveQuery = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const queryId = String(
      url.searchParams.get('query_id') || req.headers['x-clickhouse-query-id'] || randomUUID(),
    );
    try {
      const chunked = String(req.headers['transfer-encoding'] ?? '').includes('chunked');
      if (req.method === 'POST' && req.headers['content-length'] === undefined && !chunked) {
        throw new ClickHouseException(
          381,
          'HTTP_LENGTH_REQUIRED',
          'The Transfer-Encoding is not chunked and there is no Content-Length header for POST request',
        );
      }
      // The whole body is read first, which also keeps a keep-alive connection usable after an error.
      const body = await readBody(req);
      const request = parseRequest(req, url, body);
      if (request.user !== user || request.password !== password) {
        throw new ClickHouseException(
          516,
          'AUTHENTICATION_FAILED',
          `${request.user}: Authentication failed: password is incorrect, or there is no user with such name`,
        );
      }
      if (!request.hasQuery) {
        res.writeHead(200, { 'Content-Type': TEXT }).end('Ok.\n');
        return;
      }
      const result = await execute(request);
      const format = outputFormat(request);
      const encoding = responseEncoding(req, request);
      const payload = compress(result.bytes, encoding);
      const summary = {
        read_rows: String(result.rowsRead),
        read_bytes: String(result.bytesRead),
        // chDB reports no write or result-row counters; zero rather than a guess (see README).
        written_rows: '0',
        written_bytes: '0',
        total_rows_to_read: '0',
        result_rows: '0',
        result_bytes: String(result.bytes.byteLength),
        elapsed_ns: String(result.elapsedNs),
      };
      const timezone = request.settings.find(([k]) => k === 'session_timezone')?.[1] || engine.timezone;
      res.writeHead(200, {
        'Content-Type': format ? contentType(format) : TEXT,
        'X-ClickHouse-Server-Display-Name': 'chdb-http-emulator',
        'X-ClickHouse-Query-Id': queryId,
        ...(format ? { 'X-ClickHouse-Format': format } : {}),
        'X-ClickHouse-Timezone': timezone,
        'X-ClickHouse-Summary': JSON.stringify(summary),
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
        'Content-Length': payload.byteLength,
      });
      res.end(payload);
    } catch (err) {
      const failure = exceptionResponse(err, engine.version);
      res.writeHead(failure.status, {
        'Content-Type': TEXT,
        'X-ClickHouse-Server-Display-Name': 'chdb-http-emulator',
        'X-ClickHouse-Exception-Code': String(failure.code),
        'Content-Length': Buffer.byteLength(failure.body),
      });
      res.end(failure.body);
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const health = url.pathname === '/ping' || url.pathname === '/replicas_status';
    if (health && (req.method === 'GET' || req.method === 'HEAD')) {
      // Like ClickHouse, the health endpoints need no credentials.
      res.writeHead(200, { 'Content-Type': TEXT }).end('Ok.\n');
    } else if (url.pathname === '/' && (req.method === 'GET' || req.method === 'POST')) {
      void serveQuery(req, res, url);
    } else {
      res.writeHead(404, { 'Content-Type': TEXT }).end(NO_HANDLER.replace('{path}', url.pathname));
    }
  });
  // ClickHouse's default keep_alive_timeout is 10 s; the client keeps idle sockets shorter than that.
  server.keepAliveTimeout = 10_000;

  return {
    server,
    engine,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      engine.close();
    },
  };
}
