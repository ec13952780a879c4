import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, generateSecret, hashSecret, visiblePrefix } from './tokens.ts';

describe('secrets', () => {
  it('generates url-safe secrets with the given prefix, never the same twice', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateSecret(API_KEY_PREFIX)));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) expect(secret).toMatch(/^vk_[A-Za-z0-9_-]{32}$/);
  });

  it('hashes with SHA-256 as hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['a generated key', 'vk_AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'vk_AbCd'],
    ['a 16-character key', 'abcdefghijklmnop', 'abcd'],
    ['a 5-character key', 'short', 's'],
    ['a 3-character key', 'abc', ''],
  ])('shows at most a quarter of %s', (_name, secret, prefix) => {
    expect(visiblePrefix(secret)).toBe(prefix);
  });
});
