/**
 * Reads an HTTP request the way ClickHouse's `HTTPHandler` does: the query from the `query` URL
 * parameter plus the body, `param_*` as query parameters, a few reserved names, and every other
 * URL parameter as a setting. Credentials and request compression are handled here too.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { ClickHouseException } from './exceptions.ts';

/** A request to `/`, decoded. */
export interface ParsedRequest {
  method: string;
  /** `query` parameter + "\n" + body, or only one of them (ClickHouse concatenates the same way). */
  sql: string;
  /** Whether anything was sent at all; an empty GET is a health check answered with "Ok.". */
  hasQuery: boolean;
  database: string | undefined;
  defaultFormat: string | undefined;
  /** `param_<name>` values exactly as sent (still in ClickHouse's escaped text form). */
  queryParams: Map<string, string>;
  /** Every other parameter, in order; ClickHouse applies them as settings of the query. */
  settings: Array<[string, string]>;
  user: string;
  password: string;
  /** The body of an `INSERT … FORMAT Native` sent in the `query` parameter (binary, not SQL). */
  nativeBody?: Buffer;
}

// ClickHouse's `reserved_param_names` (HTTPHandler.cpp) plus `role`: parameters that are neither
// settings nor query parameters. `database`, `default_format` and `query` are handled apart.
const RESERVED = new Set([
  'compress',
  'decompress',
  'user',
  'password',
  'quota_key',
  'query_id',
  'stacktrace',
  'buffer_size',
  'wait_end_of_query',
  'session_id',
  'session_timeout',
  'session_check',
  'client_protocol_version',
  'close_session',
  'role',
]);

/** Parameters whose ClickHouse behaviour the emulator does not reproduce; refused, not ignored. */
const UNSUPPORTED_FLAGS = ['compress', 'decompress'] as const;

const authError = (message: string): ClickHouseException =>
  new ClickHouseException(516, 'AUTHENTICATION_FAILED', message);

/** Credentials from X-ClickHouse-User/Key, HTTP Basic, or `user`/`password` URL parameters. */
function credentials(
  headers: IncomingHttpHeaders,
  params: URLSearchParams,
): { user: string; password: string } {
  const headerUser = String(headers['x-clickhouse-user'] ?? '');
  const headerKey = String(headers['x-clickhouse-key'] ?? '');
  const authorization = headers.authorization;
  const inParams = params.has('user') || params.has('password');
  // Mixing schemes is refused by ClickHouse (authenticateUserByHTTP.cpp), so it is here.
  if (headerUser !== '' || headerKey !== '') {
    if (headerUser === '') throw authError('Got an empty user name from X-ClickHouse HTTP headers');
    if (authorization !== undefined)
      throw authError(
        'Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and Authorization HTTP header simultaneously',
      );
    if (inParams)
      throw authError(
        'Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and authentication via parameters simultaneously',
      );
    return { user: headerUser, password: headerKey };
  }
  if (authorization !== undefined) {
    if (inParams)
      throw authError(
        'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously',
      );
    const [scheme = '', info = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'basic')
      throw authError(`Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`);
    const decoded = Buffer.from(info, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    if (user === '') throw authError('Got an empty user name from Authorization HTTP header');
    return { user, password: colon < 0 ? '' : decoded.slice(colon + 1) };
  }
  return { user: params.get('user') ?? 'default', password: params.get('password') ?? '' };
}

function decompressor(encoding: string): NodeJS.ReadWriteStream | undefined {
  switch (encoding) {
    case '':
    case 'identity':
    case 'none':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      // ClickHouse also reads zstd, xz, lz4, bz2 and snappy; the client sends gzip unless told otherwise.
      throw new ClickHouseException(
        48,
        'NOT_IMPLEMENTED',
        `chDB HTTP emulator: Content-Encoding '${encoding}' is not supported`,
      );
  }
}

/** The request body, decompressed according to Content-Encoding. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const inflate = decompressor(encoding);
  const source: AsyncIterable<Buffer | string> = inflate ? req.pipe(inflate) : req;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  } catch (err) {
    throw new ClickHouseException(
      36,
      'BAD_ARGUMENTS',
      `Cannot decompress the request body (${encoding}): ${(err as Error).message}`,
    );
  }
  return Buffer.concat(chunks);
}

// Only text bodies can be handed to chDB as part of the query string; a binary insert (RowBinary,
// Parquet) would be corrupted by decoding, so it is refused instead. Native inserts are the
// exception: the emulator hands their body to the engine as a file.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const NATIVE_INSERT_RE = /^\s*INSERT\b[\s\S]*\bFORMAT\s+Native\s*;?\s*$/i;

/** Decodes the URL, headers and (already read) body of a request to `/`. */
export function parseRequest(req: IncomingMessage, url: URL, body: Buffer): ParsedRequest {
  const params = url.searchParams;
  if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    throw new ClickHouseException(
      48,
      'NOT_IMPLEMENTED',
      'chDB HTTP emulator: multipart/form-data (external tables, multipart query parameters) is not supported',
    );
  }
  for (const flag of UNSUPPORTED_FLAGS) {
    if (params.get(flag) === '1' || params.get(flag) === 'true')
      throw new ClickHouseException(
        48,
        'NOT_IMPLEMENTED',
        `chDB HTTP emulator: '${flag}=1' (native compression) is not supported`,
      );
  }
  if (params.has('session_id')) {
    throw new ClickHouseException(
      48,
      'NOT_IMPLEMENTED',
      'chDB HTTP emulator: HTTP sessions (session_id) are not supported',
    );
  }
  const queryParam = params.get('query') ?? '';
  const nativeBody = NATIVE_INSERT_RE.test(queryParam) && body.length > 0 ? body : undefined;
  let bodyText = '';
  try {
    if (!nativeBody) bodyText = utf8.decode(body);
  } catch {
    throw new ClickHouseException(
      48,
      'NOT_IMPLEMENTED',
      'chDB HTTP emulator: only UTF-8 text request bodies are supported',
    );
  }
  const sql = queryParam === '' ? bodyText : bodyText === '' ? queryParam : `${queryParam}\n${bodyText}`;

  const queryParams = new Map<string, string>();
  const settings: Array<[string, string]> = [];
  for (const [key, value] of params) {
    if (key === '' || key === 'query' || key === 'database' || key === 'default_format' || RESERVED.has(key))
      continue;
    if (key.startsWith('param_')) {
      // Like ClickHouse, the first occurrence of a parameter wins.
      const name = key.slice('param_'.length);
      if (!queryParams.has(name)) queryParams.set(name, value);
    } else settings.push([key, value]);
  }
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    method: req.method ?? 'GET',
    sql,
    hasQuery: sql.trim() !== '',
    // The headers take precedence over the URL parameters, as in ClickHouse.
    database: header('x-clickhouse-database') ?? (params.get('database') || undefined),
    defaultFormat: header('x-clickhouse-format') ?? (params.get('default_format') || undefined),
    queryParams,
    settings,
    ...(nativeBody ? { nativeBody } : {}),
    ...credentials(req.headers, params),
  };
}
