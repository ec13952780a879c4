/**
 * What the SQL collectors' TLS modes share: reading a CA given in a target's params (inline PEM or
 * a file path) and turning a failed handshake into an error an operator can act on. Used by the
 * Postgres and the MySQL collector; it lives here because the collectors' common folder is not
 * theirs to change.
 */
import { readFile } from 'node:fs/promises';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * The CA bundle named by `value`: the value itself when it is PEM (params come from JSON or pod
 * annotations, where pasting the certificate is easier than mounting a file), else the file at
 * that path. Read at every connect, so that a rotated CA file is picked up without a restart.
 */
export async function loadCa(param: string, value: string): Promise<string> {
  if (value.trimStart().startsWith('-----BEGIN')) {
    if (!value.includes(PEM_CERTIFICATE)) throw new Error(`${param}: the PEM text holds no certificate`);
    return value;
  }
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
    throw new Error(`${param}: cannot read ${value} (${code})`, { cause: err });
  }
  if (!text.includes(PEM_CERTIFICATE)) throw new Error(`${param}: ${value} holds no PEM certificate`);
  return text;
}

/** Why a handshake failed, by OpenSSL verify code or, where a driver replaced the code, by message. */
const FAILURES: ReadonlyArray<{ codes: readonly string[]; message: RegExp; reason: string }> = [
  {
    codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
    message: /does not match certificate's altnames/i,
    reason: 'the server certificate does not match the host name',
  },
  {
    codes: ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
    message: /certificate has expired|certificate is not yet valid/i,
    reason: 'the server certificate is not valid at this time',
  },
  {
    codes: [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'CERT_UNTRUSTED',
      'CERT_SIGNATURE_FAILURE',
      'CERT_REJECTED',
      'INVALID_CA',
    ],
    message: /self[- ]signed certificate|unable to (get|verify)|certificate (signature failure|not trusted)/i,
    reason: 'the server certificate is not trusted',
  },
  {
    codes: ['HANDSHAKE_NO_SSL_SUPPORT'],
    message: /does not support (SSL|secure) connections?/i,
    reason: 'the server does not support TLS',
  },
  {
    codes: ['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'],
    message: /ssl routines|tls alert|handshake failure|wrong version number/i,
    reason: 'the TLS handshake failed',
  },
];

const codeOf = (err: Error): string => ('code' in err && typeof err.code === 'string' ? err.code : '');

/**
 * An error saying that TLS was required by `setting` (`sslmode=verify-full`, `tls=true`) and why
 * it could not be had; undefined when `err` is not a TLS failure (refused credentials, a closed
 * port), which is passed on as it is.
 */
export function tlsFailure(err: unknown, setting: string): Error | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = codeOf(err);
  // Messages are matched only where there is no code to go by (pg's "does not support SSL") or
  // where mysql2 replaced the verify code with its own: a server's error text is not classified.
  const byMessage = code === '' || code.startsWith('HANDSHAKE_');
  const found =
    FAILURES.find((f) => f.codes.includes(code)) ??
    (byMessage ? FAILURES.find((f) => f.message.test(err.message)) : undefined);
  if (found === undefined) return undefined;
  return new Error(`TLS required (${setting}) but ${found.reason}: ${err.message}`, { cause: err });
}
