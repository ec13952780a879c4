import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPasswordHash } from './passwords.ts';

describe('password hashing', () => {
  it('stores scrypt parameters, salt and hash in the documented format', async () => {
    const stored = await hashPassword('hunter2hunter2');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPasswordHash('same password', a)).toBe(true);
    expect(await verifyPasswordHash('same password', b)).toBe(true);
  });

  it('rejects a wrong password, including one differing only in case or length', async () => {
    const stored = await hashPassword('Password123');
    for (const wrong of ['password123', 'Password1234', 'Password12', '']) {
      expect(await verifyPasswordHash(wrong, stored)).toBe(false);
    }
  });

  it('verifies hashes made with other parameters, so the cost can be raised later', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('old password', salt, 64, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPasswordHash('old password', stored)).toBe(true);
    expect(await verifyPasswordHash('new password', stored)).toBe(false);
  });

  const salt = randomBytes(16).toString('base64url');
  const hash = randomBytes(32).toString('base64url');
  it.each([
    ['an empty string', ''],
    ['another algorithm', `bcrypt$32768$8$1$${salt}$${hash}`],
    ['a missing field', `scrypt$32768$8$${salt}$${hash}`],
    ['N that is not a power of two', `scrypt$1000$8$1$${salt}$${hash}`],
    ['parameters needing gigabytes of memory', `scrypt$1048576$32$1$${salt}$${hash}`],
    ['a salt too short to be ours', `scrypt$1024$8$1$AAAA$${hash}`],
    ['a truncated hash', `scrypt$1024$8$1$${salt}$AAAA`],
  ])('never matches a stored value with %s', async (_name, stored) => {
    expect(await verifyPasswordHash('anything', stored)).toBe(false);
  });

  it('keeps one dummy hash for unknown users, which no guess matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(await verifyPasswordHash('', dummy)).toBe(false);
  });
});
