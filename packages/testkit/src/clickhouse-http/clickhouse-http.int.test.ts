/**
 * The emulator's HTTP behaviour, checked with the real @clickhouse/client and with raw requests
 * where the client hides the detail (status codes, headers, compression).
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import {
  ClickHouseError,
  ClickHouseLogLevel,
  createClient,
  TupleParam,
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
} from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../temp-dir.ts';
import { createEmulator, type Emulator } from './emulator.ts';

const USER = 'tester';
const PASSWORD = 'sécret:pw';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
let emulator: Emulator;
let base: string;
let client: ClickHouseClient;
const temp = makeTempDir('vigil-ch-http-');
// The client logs every failed request; failures are what several tests are about.
const connect = (extra: ClickHouseClientConfigOptions = {}): ClickHouseClient =>
  createClient({
    url: base,
    username: USER,
    password: PASSWORD,
    log: { level: ClickHouseLogLevel.OFF },
    ...extra,
  });

beforeAll(async () => {
  emulator = await createEmulator({ dataDir: temp.dir, user: USER, password: PASSWORD });
  await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
  const address = emulator.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  client = connect();
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  temp.cleanup();
});

const post = (
  query: string,
  init: { search?: string; headers?: Record<string, string>; body?: RequestInit['body'] } = {},
) =>
  fetch(`${base}/?query=${encodeURIComponent(query)}${init.search ?? ''}`, {
    method: 'POST',
    headers: { authorization: AUTH, ...init.headers },
    body: init.body ?? '',
  });

describe('health and routing', () => {
  it('answers /ping and an empty GET / with "Ok." and needs no credentials for /ping', async () => {
    expect(await (await fetch(`${base}/ping`)).text()).toBe('Ok.\n');
    expect(await (await fetch(`${base}/`, { headers: { authorization: AUTH } })).text()).toBe('Ok.\n');
    expect((await client.ping()).success).toBe(true);
    expect((await client.ping({ select: true })).success).toBe(true);
  });

  it('answers 404 for a path it has no handler for', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/There is no handle \/nope/);
  });
});

describe('queries', () => {
  it('returns rows with the query id, format, time zone and summary headers', async () => {
    const result = await client.query({
      query: 'SELECT number AS n FROM numbers(3)',
      format: 'JSONEachRow',
      query_id: 'q-1',
    });
    expect(await result.json()).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(result.query_id).toBe('q-1');
    expect(result.response_headers['x-clickhouse-query-id']).toBe('q-1');
    expect(result.response_headers['x-clickhouse-format']).toBe('JSONEachRow');
    expect(result.response_headers['x-clickhouse-timezone']).toBe(emulator.engine.timezone);
    const summary = JSON.parse(String(result.response_headers['x-clickhouse-summary'])) as Record<
      string,
      string
    >;
    expect(summary.read_rows).toBe('3');
  });

  it('uses TabSeparated without a FORMAT clause, or default_format when given', async () => {
    expect(await (await post("SELECT 1, 'a'")).text()).toBe('1\ta\n');
    expect(await (await post('SELECT 1 AS x', { search: '&default_format=JSONEachRow' })).text()).toBe(
      '{"x":1}\n',
    );
  });

  it('binds parameters exactly as the client formats them', async () => {
    const values = {
      s: "it's \\ \n\t\r 日本 🎉 {x:String}",
      a: ["a'b", 'c\\d', ''],
      m: { "k'1": 'v\n1' },
      t: new TupleParam([1, "x'y"]),
      d: new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)),
      n: null,
      b: 18446744073709551615n,
    };
    const result = await client.query({
      query: `SELECT {s:String} AS s, {a:Array(String)} AS a, {m:Map(String, String)} AS m,
        {t:Tuple(UInt8, String)} AS t, toString({d:DateTime64(3, 'UTC')}) AS d, {n:Nullable(String)} AS n,
        toString({b:UInt64}) AS b`,
      format: 'JSONEachRow',
      query_params: values,
    });
    expect(await result.json()).toEqual([
      {
        s: values.s,
        a: values.a,
        m: values.m,
        t: [1, "x'y"],
        d: '2024-02-29 12:30:45.123',
        n: null,
        b: '18446744073709551615',
      },
    ]);
  });

  it('applies URL settings to one request only, and runs concurrent requests apart', async () => {
    const threads = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (n) => {
        const r = await client.query({
          query: "SELECT getSetting('max_threads') AS t",
          format: 'JSONEachRow',
          clickhouse_settings: { max_threads: n },
        });
        return ((await r.json()) as Array<{ t: number }>)[0]?.t;
      }),
    );
    expect(threads).toEqual([1, 2, 3, 4, 5, 6]);
    const plain = await client.query({
      query: "SELECT changed FROM system.settings WHERE name = 'max_threads'",
      format: 'JSONEachRow',
    });
    expect(await plain.json()).toEqual([{ changed: 0 }]);
  });

  it('runs in the database given by the client, and GET requests read-only', async () => {
    const inSystem = connect({ database: 'system' });
    const r = await inSystem.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
    expect(await r.json()).toEqual([{ db: 'system' }]);
    await inSystem.close();
    const get = await fetch(`${base}/?query=${encodeURIComponent('CREATE DATABASE nope_get')}`, {
      headers: { authorization: AUTH },
    });
    expect(get.status).toBe(500);
    expect(get.headers.get('x-clickhouse-exception-code')).toBe('164');
  });
});

describe('inserts', () => {
  it('takes the data after the query, plain, gzip-compressed by the client, or streamed', async () => {
    await client.command({
      query: 'CREATE TABLE IF NOT EXISTS default.rows (s String, n UInt32) ENGINE = MergeTree ORDER BY n',
    });
    await post('INSERT INTO default.rows FORMAT TSV', { body: 'tab\\there\t1\n' });
    const gzipped = connect({ compression: { request: true } });
    await gzipped.insert({ table: 'default.rows', values: [{ s: "quote'", n: 2 }], format: 'JSONEachRow' });
    await gzipped.close();
    await client.exec({
      query: 'INSERT INTO default.rows FORMAT JSONEachRow',
      values: Readable.from(['{"s":"exec","n":3}\n']),
    });
    const r = await client.query({
      query: 'SELECT s, n FROM default.rows ORDER BY n',
      format: 'JSONEachRow',
    });
    expect(await r.json()).toEqual([
      { s: 'tab\there', n: 1 },
      { s: "quote'", n: 2 },
      { s: 'exec', n: 3 },
    ]);
  });

  it('compresses the response only when enable_http_compression=1 and the client accepts it', async () => {
    const compressed = await fetch(`${base}/?query=SELECT%2042&enable_http_compression=1`, {
      headers: { authorization: AUTH, 'accept-encoding': 'gzip' },
    });
    expect(compressed.headers.get('content-encoding')).toBe('gzip'); // fetch inflates the body itself
    expect(await compressed.text()).toBe('42\n');
    const client2 = connect({ compression: { response: true } });
    const r = await client2.query({ query: 'SELECT 42 AS x', format: 'JSONEachRow' });
    expect(await r.json()).toEqual([{ x: 42 }]);
    await client2.close();
  });
});

describe('errors', () => {
  // [statement, HTTP status, ClickHouse code, type], as ClickHouse's HTTP handler maps them.
  const cases: Array<[string, number, string, string]> = [
    ['SELEC 1', 400, '62', 'SYNTAX_ERROR'],
    ['SELECT * FROM nope_db.t', 404, '81', 'UNKNOWN_DATABASE'],
    ['SELECT * FROM system.nope', 404, '60', 'UNKNOWN_TABLE'],
    ['SELECT nope_fn(1)', 404, '46', 'UNKNOWN_FUNCTION'],
    ["SELECT throwIf(1, 'boom')", 500, '395', 'FUNCTION_THROW_IF_VALUE_IS_NON_ZERO'],
    ['SELECT {p:UInt8}', 500, '457', 'BAD_QUERY_PARAMETER'],
  ];
  it.each(cases)('%s → HTTP %i, code %s (%s)', async (query, status, code, type) => {
    const res = await post(query, { search: '&param_p=not-a-number' });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe(code);
    expect(await res.text()).toMatch(
      new RegExp(`^Code: ${code}\\. DB::Exception: .*\\(${type}\\) \\(version .+\\)\\n$`, 's'),
    );
    const err = await client.query({ query, query_params: { p: 'not-a-number' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClickHouseError);
    expect(err).toMatchObject({ code, type });
  });

  it('rejects an unknown setting as ClickHouse does (404, UNKNOWN_SETTING)', async () => {
    const res = await post('SELECT 1', { search: '&no_such_setting=1' });
    expect([res.status, res.headers.get('x-clickhouse-exception-code')]).toEqual([404, '115']);
  });

  it('refuses what it does not emulate instead of ignoring it', async () => {
    for (const search of ['&session_id=s1', '&compress=1']) {
      const res = await post('SELECT 1', { search });
      expect([res.status, res.headers.get('x-clickhouse-exception-code')]).toEqual([501, '48']);
    }
  });

  it('requires a length or chunked body for POST (411, HTTP_LENGTH_REQUIRED)', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
        socket.end(
          `POST /?query=SELECT%201 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`,
        );
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString())).on('close', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 411/);
    expect(raw).toMatch(/X-ClickHouse-Exception-Code: 381/);
  });
});

describe('authentication', () => {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const cases: Array<{ name: string; headers: Record<string, string>; search?: string; status: number }> = [
    { name: 'a wrong password', headers: { authorization: basic(USER, 'nope') }, status: 403 },
    {
      name: 'an unknown user in X-ClickHouse-User',
      headers: { 'x-clickhouse-user': 'who', 'x-clickhouse-key': PASSWORD },
      status: 403,
    },
    {
      name: 'X-ClickHouse-User/Key and Basic together',
      headers: { 'x-clickhouse-user': USER, 'x-clickhouse-key': PASSWORD, authorization: AUTH },
      status: 403,
    },
    { name: 'a Bearer token', headers: { authorization: 'Bearer abc' }, status: 403 },
    { name: 'no credentials (the default user)', headers: {}, status: 403 },
    {
      name: 'the right X-ClickHouse-User/Key',
      headers: { 'x-clickhouse-user': USER, 'x-clickhouse-key': PASSWORD },
      status: 200,
    },
    {
      name: 'the right user/password parameters',
      headers: {},
      search: `&user=${USER}&password=${encodeURIComponent(PASSWORD)}`,
      status: 200,
    },
  ];
  it.each(cases)('$name → HTTP $status', async ({ headers, search, status }) => {
    const res = await fetch(`${base}/?query=SELECT%201${search ?? ''}`, { headers });
    expect(res.status).toBe(status);
    if (status !== 200) {
      expect(res.headers.get('x-clickhouse-exception-code')).toBe('516');
      expect(await res.text()).toMatch(/\(AUTHENTICATION_FAILED\)/);
    }
  });

  it('gives the client a ClickHouseError 516 for a wrong password', async () => {
    const wrong = connect({ password: 'nope' });
    await expect(wrong.query({ query: 'SELECT 1' })).rejects.toMatchObject({
      code: '516',
      type: 'AUTHENTICATION_FAILED',
    });
    expect((await wrong.ping({ select: true })).success).toBe(false);
    await wrong.close();
  });
});
