import { describe, expect, it } from 'vitest';
import type { Target } from '../target.ts';
import { createPostgresCollector } from './collector.ts';
import { valueOf } from './testing.ts';
import { attemptsFor, parsePgTls, type PgTls } from './tls-options.ts';

describe('parsePgTls', () => {
  it.each([
    ['absent params', undefined, { sslmode: 'disable' }],
    ['an empty sslmode (a pod annotation left blank)', { sslmode: '' }, { sslmode: 'disable' }],
    [
      'verify-full with a root certificate path',
      { sslmode: 'verify-full', sslrootcert: '/ca.pem' },
      { sslmode: 'verify-full', sslrootcert: '/ca.pem' },
    ],
    ['prefer, padded', { sslmode: ' prefer ' }, { sslmode: 'prefer' }],
  ])('accepts %s', (_, params, tls) => {
    expect(parsePgTls(params)).toEqual({ ok: true, tls });
  });

  it.each(['verify_full', 'REQUIRE', 'true', 'on'])(
    'rejects sslmode=%s, naming the accepted values',
    (sslmode) => {
      expect(parsePgTls({ sslmode })).toEqual({
        ok: false,
        error: `invalid sslmode "${sslmode}": expected one of disable, allow, prefer, require, verify-ca, verify-full`,
      });
    },
  );
});

describe('attemptsFor', () => {
  const plan = async (tls: PgTls): Promise<unknown[]> =>
    Promise.all(
      attemptsFor(tls).map(async (a) => {
        const ssl = await a.ssl();
        if (ssl === false) return 'plain';
        const { ca, checkServerIdentity, ...rest } = ssl;
        return {
          ...rest,
          ...(ca === undefined ? {} : { ca: 'given' }),
          ...(checkServerIdentity ? { anyHost: true } : {}),
        };
      }),
    );
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it.each<[PgTls, unknown[]]>([
    [{ sslmode: 'disable' }, ['plain']],
    [{ sslmode: 'allow' }, ['plain', { rejectUnauthorized: false }]],
    [{ sslmode: 'prefer' }, [{ rejectUnauthorized: false }, 'plain']],
    [{ sslmode: 'require' }, [{ rejectUnauthorized: false }]],
    [{ sslmode: 'require', sslrootcert: ca }, [{ rejectUnauthorized: true, ca: 'given', anyHost: true }]],
    [{ sslmode: 'verify-ca', sslrootcert: ca }, [{ rejectUnauthorized: true, ca: 'given', anyHost: true }]],
    [{ sslmode: 'verify-full', sslrootcert: ca }, [{ rejectUnauthorized: true, ca: 'given' }]],
    [{ sslmode: 'verify-full', sslrootcert: 'system' }, [{ rejectUnauthorized: true }]],
    [{ sslmode: 'verify-full' }, [{ rejectUnauthorized: true }]],
  ])('%j connects as %j', async (tls, expected) => {
    expect(await plan(tls)).toEqual(expected);
  });

  it('verify-ca accepts any host name once the chain is trusted', async () => {
    const [attempt] = attemptsFor({ sslmode: 'verify-ca', sslrootcert: ca });
    const ssl = await attempt?.ssl();
    expect(ssl !== false && ssl?.checkServerIdentity?.('db.example.com', {} as never)).toBeUndefined();
  });
});

describe('the Postgres collector with params it cannot honour', () => {
  it('reports pg_up 0 and the reason without connecting', async () => {
    // Port 1 on loopback: were a connection tried, the error would be ECONNREFUSED.
    const target: Target = {
      type: 'postgres',
      host: '127.0.0.1',
      port: 1,
      params: { sslmode: 'verify_full' },
    };
    const collector = createPostgresCollector(target);
    const c = await collector.collect(AbortSignal.timeout(5000));
    await collector.close();
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(/^invalid sslmode "verify_full"/);
  });
});
