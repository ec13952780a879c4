import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { SecretBox } from './secret-box.ts';
import { loadSecretKey, parseSecretKey, SECRET_KEY_FILE } from './secret-key.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function tempDir(): string {
  const { dir, cleanup } = makeTempDir('vigil-secrets-');
  cleanups.push(cleanup);
  return dir;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('the secret key', () => {
  const raw = randomBytes(32);

  it.each([
    ['hex', raw.toString('hex')],
    ['base64', raw.toString('base64')],
    ['base64url', raw.toString('base64url')],
    ['base64 with surrounding whitespace', ` ${raw.toString('base64')}\n`],
  ])('is read from VIGIL_SECRET_KEY written as %s', (_name, value) => {
    const key = loadSecretKey({ dataDir: tempDir(), configured: value });
    expect(key.bytes.equals(raw)).toBe(true);
    expect(key.origin).toBe('VIGIL_SECRET_KEY');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('hex')],
    ['not an encoding', 'correct horse battery staple, but not a key!'],
  ])('is refused with a clear message when VIGIL_SECRET_KEY is %s', (_name, value) => {
    const err = thrown(() => parseSecretKey(value, 'VIGIL_SECRET_KEY'));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(
      /^VIGIL_SECRET_KEY must be a 32-byte key written as 64 hex digits or as base64/,
    );
    expect(err.message).toContain(`has ${value.length} characters`);
    expect(err.message).not.toContain(value);
  });

  it('is generated once into the data directory (mode 0600) and read back on the next start', () => {
    const dir = tempDir();
    const first = loadSecretKey({ dataDir: dir });
    const file = path.join(dir, SECRET_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first.bytes)).toBe(true);
    const second = loadSecretKey({ dataDir: dir, configured: '' });
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.id).toBe(first.id);
  });

  it('names the key file when its content is not a key', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, SECRET_KEY_FILE), 'garbage\n');
    expect(() => loadSecretKey({ dataDir: dir })).toThrow(
      /the secret key file .*secret-key must be a 32-byte key/,
    );
  });
});

describe('SecretBox', () => {
  const key = parseSecretKey(randomBytes(32).toString('hex'), 'VIGIL_SECRET_KEY');
  const box = new SecretBox(key);

  it('round-trips a value and never stores the plaintext or the same ciphertext twice', () => {
    const sealed = box.seal('xoxb-123-secret-token', 'default/slack');
    expect(sealed).not.toContain('xoxb');
    expect(sealed.startsWith(`v1.${key.id}.`)).toBe(true);
    expect(box.seal('xoxb-123-secret-token', 'default/slack')).not.toBe(sealed);
    expect(box.open(sealed, 'default/slack')).toBe('xoxb-123-secret-token');
  });

  it('refuses a value sealed for another record', () => {
    const sealed = box.seal('s3cret', 'default/slack');
    expect(() => box.open(sealed, 'other/slack')).toThrow(/failed authentication/);
  });

  it('refuses a tampered value', () => {
    const sealed = box.seal('s3cret', 'p/x');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join('.'), 'p/x')).toThrow(/altered/);
  });

  it('says which key is wrong when the value was sealed with another VIGIL_SECRET_KEY', () => {
    const sealed = box.seal('s3cret', 'default/pagerduty');
    const other = parseSecretKey(randomBytes(32).toString('base64'), 'VIGIL_SECRET_KEY');
    const err = thrown(() => new SecretBox(other).open(sealed, 'default/pagerduty'));
    expect(err.message).toBe(
      `the secrets of default/pagerduty were encrypted with key ${key.id}, but the key in use ` +
        `(VIGIL_SECRET_KEY) is ${other.id}: set VIGIL_SECRET_KEY to the key they were encrypted with, ` +
        'or enter the secrets again',
    );
    expect(err.expose).toBe(true);
  });
});
