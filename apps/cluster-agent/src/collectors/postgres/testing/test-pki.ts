/**
 * A throw-away certificate authority for TLS tests, made with the `openssl` command line: a CA,
 * a second CA that signed nothing the servers present (the "wrong CA"), and server certificates
 * signed by the first for names of the test's choosing. EC P-256 keys, valid for one day.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';

/** A server certificate and its key, as PEM text and as files. */
export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TestPki {
  readonly dir: string;
  readonly caPem: string;
  readonly caFile: string;
  /** A CA that did not sign the servers' certificates. */
  readonly wrongCaPem: string;
  /** A server certificate signed by the CA for `altNames` (`DNS:localhost`, `IP:127.0.0.1`). */
  server(name: string, altNames: readonly string[]): ServerCertificate;
  cleanup(): void;
}

/** Whether the `openssl` command runs. */
export function opensslInstalled(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

const CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

/** Creates the CAs in a temporary directory; `cleanup` removes it. */
export function createTestPki(): TestPki {
  const { dir, cleanup } = makeTempDir('vigil-pki-');
  const file = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): void => {
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${run.stderr}`);
  };
  const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(file('openssl.cnf'), CONFIG);
  const makeCa = (name: string): string => {
    const cnf = ['-config', 'openssl.cnf', '-extensions', 'ca'];
    openssl(
      ['req', '-x509', ...keyArgs, ...cnf, '-subj', `/CN=${name}`, '-days', '1'].concat([
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
      ]),
    );
    return readFileSync(file(`${name}.crt`), 'utf8');
  };
  const caPem = makeCa('vigil-test-ca');
  const wrongCaPem = makeCa('vigil-other-ca');

  const server = (name: string, altNames: readonly string[]): ServerCertificate => {
    writeFileSync(
      file(`${name}.ext`),
      [
        'basicConstraints = CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth',
        `subjectAltName = ${altNames.join(', ')}`,
      ].join('\n'),
    );
    openssl(
      ['req', ...keyArgs, '-config', 'openssl.cnf', '-subj', `/CN=${name}`].concat([
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
      ]),
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'vigil-test-ca.crt',
        '-CAkey',
        'vigil-test-ca.key',
      ].concat(['-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`]),
    );
    const certFile = file(`${name}.crt`);
    const keyFile = file(`${name}.key`);
    return {
      certPem: readFileSync(certFile, 'utf8'),
      keyPem: readFileSync(keyFile, 'utf8'),
      certFile,
      keyFile,
    };
  };
  return { dir, caPem, caFile: file('vigil-test-ca.crt'), wrongCaPem, server, cleanup };
}
