/**
 * What a span says about a request, read from the request's first bytes (at most 64: the kernel
 * keeps no more, so long statements and URLs are cut):
 *
 * | protocol  | span name          | attributes                                                   |
 * |-----------|--------------------|--------------------------------------------------------------|
 * | HTTP/1.x  | `GET /path`        | `http.method`, `http.target` (path, query string dropped)    |
 * | Postgres  | `SELECT` (keyword) | `db.system=postgresql`, `db.statement` (obfuscated)          |
 * | MySQL     | `SELECT`           | `db.system=mysql`, `db.statement` (obfuscated)               |
 * | Redis     | `GET` (command)    | `db.system=redis`, `db.operation`, `db.statement` (command and key) |
 * | Memcached | `get` (command)    | `db.system=memcached`, `db.operation`                        |
 *
 * Obfuscation replaces string literals and numbers with `?`, as an APM agent does, so spans carry
 * the shape of a statement, never its values.
 */

export interface RequestSummary {
  readonly name: string;
  readonly attributes: Record<string, string>;
}

/** l7-program.ts protocol numbers. */
const HTTP = 1;
const POSTGRES = 2;
const REDIS = 3;
const MYSQL = 4;
const MEMCACHED = 5;

export function summarizeRequest(protocol: number, request: Buffer): RequestSummary {
  switch (protocol) {
    case HTTP:
      return http(request);
    case POSTGRES:
      return sql('postgresql', postgresStatement(request));
    case MYSQL:
      return sql('mysql', request.length > 5 ? request.subarray(5).toString('latin1') : '');
    case REDIS:
      return redis(request);
    case MEMCACHED: {
      const command = /^[a-z]+/.exec(request.toString('latin1'))?.[0] ?? 'unknown';
      return { name: command, attributes: { 'db.system': 'memcached', 'db.operation': command } };
    }
    default:
      return { name: 'request', attributes: {} };
  }
}

function http(request: Buffer): RequestSummary {
  const line = request.toString('latin1').split('\r\n', 1)[0] ?? '';
  const [method = 'HTTP', target = ''] = line.split(' ');
  const path = target.split('?', 1)[0] ?? '';
  return {
    name: path === '' ? method : `${method} ${path}`,
    attributes: { 'http.method': method, ...(path === '' ? {} : { 'http.target': path }) },
  };
}

/** The text of a Query (`Q`) or Parse (`P`, after its statement name) message. */
function postgresStatement(request: Buffer): string {
  if (request.length <= 5) return '';
  let start = 5;
  if (request[0] === 0x50) {
    const nameEnd = request.indexOf(0, start);
    start = nameEnd < 0 ? request.length : nameEnd + 1;
  }
  const end = request.indexOf(0, start);
  return request.subarray(start, end < 0 ? request.length : end).toString('latin1');
}

function sql(system: string, statement: string): RequestSummary {
  const text = obfuscateSql(statement);
  const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  return { name: keyword, attributes: { 'db.system': system, 'db.statement': text } };
}

/** String literals, quoted identifiers kept; numbers and strings become `?`. */
export function obfuscateSql(statement: string): string {
  return statement
    .replace(/'(?:[^']|'')*('|$)/g, '?')
    .replace(/\$\$[\s\S]*?(\$\$|$)/g, '?')
    .replace(/(?<![A-Za-z_0-9$."])-?\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A RESP array: `*N\r\n$len\r\nCOMMAND\r\n$len\r\nkey\r\n…`; the key kept, further arguments as `?`. */
function redis(request: Buffer): RequestSummary {
  const parts = request.toString('latin1').split('\r\n');
  const words: string[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    if (!parts[i]!.startsWith('$')) break;
    words.push(parts[i + 1]!);
  }
  const command = (words[0] ?? 'unknown').toUpperCase();
  const statement = [
    command,
    ...(words[1] === undefined ? [] : [words[1]]),
    ...(words.length > 2 ? ['?'] : []),
  ];
  return {
    name: command,
    attributes: { 'db.system': 'redis', 'db.operation': command, 'db.statement': statement.join(' ') },
  };
}
