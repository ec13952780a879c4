/**
 * TLS for the Postgres collector from the target's params, with libpq's meanings:
 *
 * | sslmode     | first try             | then                                          |
 * |-------------|-----------------------|-----------------------------------------------|
 * | disable     | plain                 | —                                             |
 * | allow       | plain                 | TLS, unverified, when the server refused      |
 * | prefer      | TLS, unverified       | plain, when the server has no TLS or refused  |
 * | require     | TLS, unverified       | — (verify-ca when `sslrootcert` is given)     |
 * | verify-ca   | TLS, chain checked    | —                                             |
 * | verify-full | TLS, chain + host     | —                                             |
 *
 * `sslrootcert` is a PEM text or a file path (`system`: Node's bundled roots, also used when it is
 * absent). Absent `sslmode` means disable: Coroot's cluster agent defaults to it, and so did this
 * collector before TLS existed, so a saved target keeps connecting as it did. (libpq itself
 * defaults to prefer.)
 */
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { loadCa, tlsFailure } from '../tls/tls-trust.ts';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** A target's TLS settings, validated. */
export interface PgTls {
  readonly sslmode: SslMode;
  /** PEM text or a file path; undefined or `system` for Node's bundled roots. */
  readonly sslrootcert?: string;
}

export type PgTlsParse =
  { readonly ok: true; readonly tls: PgTls } | { readonly ok: false; readonly error: string };

const isSslMode = (v: string): v is SslMode => (SSL_MODES as readonly string[]).includes(v);

/** `sslmode` and `sslrootcert` from a target's params; an empty value counts as absent. */
export function parsePgTls(params: Readonly<Record<string, string>> | undefined): PgTlsParse {
  const mode = params?.sslmode?.trim() ?? '';
  const rootcert = params?.sslrootcert?.trim() ?? '';
  if (mode !== '' && !isSslMode(mode)) {
    return { ok: false, error: `invalid sslmode "${mode}": expected one of ${SSL_MODES.join(', ')}` };
  }
  const sslmode: SslMode = mode === '' ? 'disable' : mode;
  return { ok: true, tls: { sslmode, ...(rootcert === '' ? {} : { sslrootcert: rootcert }) } };
}

/** What pg's `ssl` option takes: false for plain, else options for `tls.connect`. */
export type PgSsl = false | ConnectionOptions;

/** One way of connecting. */
export interface Attempt {
  /** Whether this attempt uses TLS; its `ssl` is built only when it is tried (a CA file is read). */
  readonly tls: boolean;
  ssl(): Promise<PgSsl>;
  /** When TLS was required, failures of a TLS attempt are reported as `TLS required (<setting>) …`. */
  readonly required?: string;
}

/** The attempts for `tls`, in order; a failure moves to the next one when `fallsBack` says so. */
export function attemptsFor(tls: PgTls): readonly Attempt[] {
  const plain: Attempt = { tls: false, ssl: async () => false };
  const unverified: Attempt = { tls: true, ssl: async () => ({ rejectUnauthorized: false }) };
  const setting = `sslmode=${tls.sslmode}`;
  const verified = (checkHost: boolean): Attempt => ({
    tls: true,
    required: setting,
    ssl: async () => ({
      rejectUnauthorized: true,
      ...(tls.sslrootcert === undefined || tls.sslrootcert === 'system'
        ? {}
        : { ca: await loadCa('sslrootcert', tls.sslrootcert) }),
      // pg passes the target's host to tls.connect, whose default check then compares it with
      // the certificate's names (IP SANs for an address); verify-ca trusts any name.
      ...(checkHost ? {} : { checkServerIdentity: () => undefined }),
    }),
  });
  switch (tls.sslmode) {
    case 'disable':
      return [plain];
    case 'allow':
      return [plain, unverified];
    case 'prefer':
      return [unverified, plain];
    case 'require':
      // libpq: with a root certificate given, require behaves as verify-ca.
      return [tls.sslrootcert === undefined ? { ...unverified, required: setting } : verified(false)];
    case 'verify-ca':
      return [verified(false)];
    case 'verify-full':
      return [verified(true)];
  }
}

/**
 * Whether a failed attempt is a reason to try the next one, as libpq decides: the server answered
 * (an error during startup, such as pg_hba's "no encryption" rejection, or "no TLS here") or the
 * handshake failed. A refused or silent port, or the deadline, fails the same way without TLS.
 */
export function fallsBack(err: unknown): boolean {
  return err instanceof pg.DatabaseError || tlsFailure(err, '') !== undefined;
}
