/**
 * TLS for the MySQL collector from the target's params. `tls` takes the values of Go's MySQL
 * driver, which Coroot's cluster agent hands its `tls` param to:
 *
 * | tls                   | connection                                                    |
 * |-----------------------|---------------------------------------------------------------|
 * | false (absent, 0)     | plain                                                         |
 * | true (1)              | TLS, chain and host name checked (against `ssl-ca` if given)   |
 * | skip-verify           | TLS, certificate not checked                                  |
 * | preferred             | as skip-verify; plain when the server does not offer TLS      |
 *
 * `ssl-ca` (the MySQL client's option name; Go's driver has none, Coroot registers no custom TLS
 * config) is a PEM text or a file path; without it, Node's bundled roots. Go's driver would also
 * accept the name of a TLS config registered in code; no such name can mean anything here, so it
 * is an error rather than a silent plain-text connection. Absent means false, as in Coroot.
 */
import type { SslOptions } from 'mysql2';
import { loadCa } from '../tls/tls-trust.ts';

export const TLS_MODES = ['false', 'true', 'skip-verify', 'preferred'] as const;
export type MysqlTlsMode = (typeof TLS_MODES)[number];

/** A target's TLS settings, validated. */
export interface MysqlTls {
  readonly mode: MysqlTlsMode;
  /** PEM text or a file path. */
  readonly ca?: string;
}

export type MysqlTlsParse =
  { readonly ok: true; readonly tls: MysqlTls } | { readonly ok: false; readonly error: string };

/** Go's driver reads booleans with these spellings; the two modes it lower-cases. */
function modeOf(value: string): MysqlTlsMode | undefined {
  if (['', '0', 'false', 'FALSE', 'False'].includes(value)) return 'false';
  if (['1', 'true', 'TRUE', 'True'].includes(value)) return 'true';
  const lower = value.toLowerCase();
  return lower === 'skip-verify' || lower === 'preferred' ? lower : undefined;
}

/** `tls` and `ssl-ca` from a target's params; an empty value counts as absent. */
export function parseMysqlTls(params: Readonly<Record<string, string>> | undefined): MysqlTlsParse {
  const value = params?.tls?.trim() ?? '';
  const ca = params?.['ssl-ca']?.trim() ?? '';
  const mode = modeOf(value);
  if (mode === undefined) {
    return { ok: false, error: `invalid tls "${value}": expected one of ${TLS_MODES.join(', ')}` };
  }
  return { ok: true, tls: { mode, ...(ca === '' ? {} : { ca }) } };
}

/** mysql2's `ssl` option for `tls` (undefined: plain); reads the CA file, if any. */
export async function sslOptions(tls: MysqlTls): Promise<SslOptions | undefined> {
  switch (tls.mode) {
    case 'false':
      return undefined;
    case 'skip-verify':
    case 'preferred':
      return { rejectUnauthorized: false };
    case 'true':
      return {
        rejectUnauthorized: true,
        // mysql2 checks the host name only when asked to; Go's driver always does for tls=true.
        verifyIdentity: true,
        ...(tls.ca === undefined ? {} : { ca: await loadCa('ssl-ca', tls.ca) }),
      };
  }
}
