import { describe, expect, it } from 'vitest';
import { decodeQuestion, dnsStatus } from './dns-tracker.ts';
import { obfuscateSql, summarizeRequest } from './request-summary.ts';
import { parseDnsLine, parseSpanMap, unescapeBuffer } from '../ebpf/l7-events.ts';

const pgQuery = (sql: string): Buffer => {
  const body = Buffer.from(`${sql}\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x51;
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};

describe('summarizeRequest', () => {
  it('names HTTP spans by method and path, without the query string', () => {
    expect(summarizeRequest(1, Buffer.from('GET /api/users?id=7 HTTP/1.1\r\nHost: x\r\n'))).toEqual({
      name: 'GET /api/users',
      attributes: { 'http.method': 'GET', 'http.target': '/api/users' },
    });
  });

  it('obfuscates Postgres statements, from Query and from Parse messages', () => {
    expect(summarizeRequest(2, pgQuery("select * from t where name = 'bob' and id = 42"))).toEqual({
      name: 'SELECT',
      attributes: { 'db.system': 'postgresql', 'db.statement': 'select * from t where name = ? and id = ?' },
    });
    const parse = Buffer.concat([Buffer.from([0x50, 0, 0, 0, 30]), Buffer.from('\0update t2 set v = 3.5\0')]);
    expect(summarizeRequest(2, parse).attributes['db.statement']).toBe('update t2 set v = ?');
    expect(summarizeRequest(2, parse).name).toBe('UPDATE');
  });

  it('keeps identifiers with digits and quoted identifiers', () => {
    expect(obfuscateSql('SELECT col1, "t2"."x" FROM t3 LIMIT 10')).toBe(
      'SELECT col1, "t2"."x" FROM t3 LIMIT ?',
    );
    expect(obfuscateSql("insert into t values ('it''s', -1.5e3)")).toBe('insert into t values (?, ?)');
  });

  it('reads MySQL COM_QUERY, Redis arrays and memcached commands', () => {
    const mysql = Buffer.concat([Buffer.from([20, 0, 0, 0, 3]), Buffer.from('SELECT 1 FROM dual')]);
    expect(summarizeRequest(4, mysql).attributes).toEqual({
      'db.system': 'mysql',
      'db.statement': 'SELECT ? FROM dual',
    });
    const redis = summarizeRequest(3, Buffer.from('*3\r\n$3\r\nset\r\n$1\r\nk\r\n$5\r\nvalue\r\n'));
    expect(redis).toEqual({
      name: 'SET',
      attributes: { 'db.system': 'redis', 'db.operation': 'SET', 'db.statement': 'SET k ?' },
    });
    expect(summarizeRequest(5, Buffer.from('gets a b c\r\n')).name).toBe('gets');
  });
});

describe('L7 events', () => {
  it('parses the span map as bpftrace prints it (JSON), with the request bytes unescaped', () => {
    // One line of `bpftrace -f json` output for the span map, as bpftrace 0.17 prints tuples and buffers.
    const line =
      '{"type": "map", "data": {"@spans0": {"123456790": [0,2,2,0,4242,123456789,5000,77,5432,"127.0.0.1","my app","Q\\\\x00\\\\x00\\\\x00\\\\x0cselec 1\\\\x00"], ' +
      '"123456791": [1,1,5,503,1,2,3,4,80,"::1","nginx","GET /"], "123456792": [1,1]}}}';
    const spans = parseSpanMap((JSON.parse(line) as { data: Record<string, unknown> }).data['@spans0']);
    expect(spans).toHaveLength(2); // the short entry is skipped
    expect(spans[0]).toMatchObject({
      inbound: false,
      protocol: 2,
      status: 2,
      httpCode: 0,
      pid: 4242,
      startMonotonicNs: 123456789n,
      durationNs: 5000,
      cgroupId: '77',
      peer: '127.0.0.1:5432',
      comm: 'my app',
    });
    expect(spans[0]!.request).toEqual(pgQuery('selec 1'));
    expect(spans[1]).toMatchObject({ inbound: true, httpCode: 503, peer: '[::1]:80' });
    expect(parseSpanMap(null)).toEqual([]);
  });

  it('parses DNS lines and decodes their question', () => {
    const e = parseDnsLine('D 10 0 3 1500000 curl\t\\x07missing\\x05vigil\\x04test\\x00\\x00\\x1c\\x00\\x01');
    expect(e).toMatchObject({ pid: 10, rcode: 3, durationNs: 1_500_000, comm: 'curl' });
    expect(decodeQuestion(e!.question)).toEqual({ domain: 'missing.vigil.test', type: 'AAAA' });
    expect(dnsStatus(e!.rcode)).toBe('nxdomain');
    expect(decodeQuestion(Buffer.from('\x05abcde\x03fg', 'latin1'))).toEqual({
      domain: 'abcde.fg…',
      type: 'unknown',
    });
    expect(unescapeBuffer('a\\x41\\')).toEqual(Buffer.from('aA\\'));
  });
});
