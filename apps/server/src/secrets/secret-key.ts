import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@vigil/core';

/** Environment variable holding the key that encrypts secrets at rest. */
export const SECRET_KEY_ENV = 'VIGIL_SECRET_KEY';
/** File in the data directory holding the generated key when {@link SECRET_KEY_ENV} is not set. */
export const SECRET_KEY_FILE = 'secret-key';

const KEY_BYTES = 32;

/** A 256-bit key and a short fingerprint that sealed values carry, to tell keys apart. */
export interface SecretKey {
  readonly bytes: Buffer;
  /** 8 hex digits derived from the key (not reversible); names the key in error messages. */
  readonly id: string;
  /** Where the key came from: `VIGIL_SECRET_KEY` or the key file's path. */
  readonly origin: string;
}

function keyId(bytes: Buffer): string {
  // A keyed hash of a constant, so the id reveals nothing usable about the key.
  return createHmac('sha256', bytes).update('vigil secret key id').digest('hex').slice(0, 8);
}

/**
 * Parses 32 bytes given as 64 hex digits or as base64/base64url (44 or 43 characters). The
 * value itself never appears in the error, because error messages end up in logs.
 */
export function parseSecretKey(value: string, origin: string): SecretKey {
  const text = value.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    bytes = Buffer.from(text, 'hex');
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === KEY_BYTES) bytes = decoded;
  }
  if (bytes === undefined) {
    throw new AppError(
      'bad_request',
      `${origin} must be a 32-byte key written as 64 hex digits or as base64 (44 characters), ` +
        `e.g. the output of "openssl rand -base64 32"; the value given has ${text.length} characters`,
    );
  }
  return { bytes, id: keyId(bytes), origin };
}

/** Options of {@link loadSecretKey}. */
export interface LoadSecretKeyOptions {
  /** The data directory, where the key file is kept when no key is configured. */
  dataDir: string;
  /** The value of VIGIL_SECRET_KEY, if set. */
  configured?: string | undefined;
}

/**
 * The key from VIGIL_SECRET_KEY, else from `<dataDir>/secret-key`, generated (mode 0600) on
 * first use. The file is created with O_EXCL, so two processes sharing a data directory that
 * start together end up with the same key. Replicas sharing a Postgres config DB but not a data
 * directory must all be given the same VIGIL_SECRET_KEY; otherwise each would generate its own
 * key and could not read what the others stored.
 */
export function loadSecretKey(options: LoadSecretKeyOptions): SecretKey {
  if (options.configured !== undefined && options.configured.trim() !== '') {
    return parseSecretKey(options.configured, SECRET_KEY_ENV);
  }
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  try {
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new AppError('internal', `cannot create the secret key file ${file}`, {
        cause: err,
        expose: true,
      });
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('internal', `cannot read the secret key file ${file}`, { cause: err, expose: true });
  }
  return parseSecretKey(text, `the secret key file ${file}`);
}
