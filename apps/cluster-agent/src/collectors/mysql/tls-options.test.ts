import { describe, expect, it } from 'vitest';
import type { Target } from '../target.ts';
import { createMysqlCollector } from './collector.ts';
import { valueOf } from './testing.ts';
import { parseMysqlTls, sslOptions, type MysqlTls } from './tls-options.ts';

describe('parseMysqlTls', () => {
  it.each<[string, Record<string, string> | undefined, MysqlTls]>([
    ['absent params', undefined, { mode: 'false' }],
    ['an empty tls', { tls: '' }, { mode: 'false' }],
    ['0', { tls: '0' }, { mode: 'false' }],
    ['FALSE', { tls: 'FALSE' }, { mode: 'false' }],
    ['1', { tls: '1' }, { mode: 'true' }],
    ['True with a CA', { tls: 'True', 'ssl-ca': '/ca.pem' }, { mode: 'true', ca: '/ca.pem' }],
    ['Skip-Verify (lower-cased, as Go does)', { tls: 'Skip-Verify' }, { mode: 'skip-verify' }],
    ['preferred', { tls: 'preferred' }, { mode: 'preferred' }],
  ])('accepts %s', (_, params, tls) => {
    expect(parseMysqlTls(params)).toEqual({ ok: true, tls });
  });

  it.each(['custom', 'required', 'yes', 'tRuE'])('rejects tls=%s, naming the accepted values', (tls) => {
    expect(parseMysqlTls({ tls })).toEqual({
      ok: false,
      error: `invalid tls "${tls}": expected one of false, true, skip-verify, preferred`,
    });
  });
});

describe('sslOptions', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  it.each<[MysqlTls, unknown]>([
    [{ mode: 'false', ca }, undefined],
    [{ mode: 'skip-verify', ca }, { rejectUnauthorized: false }],
    [{ mode: 'preferred' }, { rejectUnauthorized: false }],
    [{ mode: 'true' }, { rejectUnauthorized: true, verifyIdentity: true }],
    [
      { mode: 'true', ca },
      { rejectUnauthorized: true, verifyIdentity: true, ca },
    ],
  ])('%j gives mysql2 %j', async (tls, expected) => {
    expect(await sslOptions(tls)).toEqual(expected);
  });
});

describe('the MySQL collector with params it cannot honour', () => {
  it('reports mysql_up 0 and the reason without connecting', async () => {
    const target: Target = { type: 'mysql', host: '127.0.0.1', port: 1, params: { tls: 'custom' } };
    const collector = createMysqlCollector(target);
    const c = await collector.collect(AbortSignal.timeout(5000));
    await collector.close();
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/^invalid tls "custom"/);
  });
});
