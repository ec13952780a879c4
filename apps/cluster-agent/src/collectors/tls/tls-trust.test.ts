import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { loadCa, tlsFailure } from './tls-trust.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const tmp = makeTempDir('vigil-ca-');
afterAll(() => tmp.cleanup());

describe('loadCa', () => {
  it('takes PEM text as it is', async () => {
    expect(await loadCa('sslrootcert', `  ${PEM}`)).toBe(`  ${PEM}`);
  });

  it('reads a file path', async () => {
    const file = path.join(tmp.dir, 'ca.pem');
    writeFileSync(file, PEM);
    expect(await loadCa('sslrootcert', file)).toBe(PEM);
  });

  it.each([
    ['a missing file', '/nonexistent/ca.pem', 'ssl-ca: cannot read /nonexistent/ca.pem (ENOENT)'],
    [
      'PEM text holding only a key',
      '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
      'ssl-ca: the PEM text holds no certificate',
    ],
  ])('rejects %s', async (_, value, message) => {
    await expect(loadCa('ssl-ca', value)).rejects.toThrow(message);
  });

  it('rejects a file without a certificate', async () => {
    const file = path.join(tmp.dir, 'empty.pem');
    writeFileSync(file, 'nothing');
    await expect(loadCa('ssl-ca', file)).rejects.toThrow(`ssl-ca: ${file} holds no PEM certificate`);
  });
});

const error = (message: string, code?: string): Error =>
  Object.assign(new Error(message), code ? { code } : {});

describe('tlsFailure', () => {
  it.each([
    [
      error('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      'the server certificate is not trusted',
    ],
    [
      error('unable to verify the first certificate', 'HANDSHAKE_SSL_ERROR'),
      'the server certificate is not trusted',
    ],
    [
      error(
        "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list: ",
        'ERR_TLS_CERT_ALTNAME_INVALID',
      ),
      'the server certificate does not match the host name',
    ],
    [
      error('certificate has expired', 'CERT_HAS_EXPIRED'),
      'the server certificate is not valid at this time',
    ],
    [error('The server does not support SSL connections'), 'the server does not support TLS'],
    [
      error('Server does not support secure connection', 'HANDSHAKE_NO_SSL_SUPPORT'),
      'the server does not support TLS',
    ],
  ])('explains %s', (err, reason) => {
    expect(tlsFailure(err, 'sslmode=verify-full')?.message).toBe(
      `TLS required (sslmode=verify-full) but ${reason}: ${err.message}`,
    );
  });

  it.each([
    error('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
    // A server's text is not classified, whatever it says.
    error('SSL alert: self-signed certificate', '28000'),
    error("Access denied for user 'x'@'127.0.0.1'", 'ER_ACCESS_DENIED_ERROR'),
  ])('passes on %s', (err) => {
    expect(tlsFailure(err, 'tls=true')).toBeUndefined();
  });
});
