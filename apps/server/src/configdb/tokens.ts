import { createHash, randomBytes } from 'node:crypto';

/** Prefix of generated ingestion API keys, so a leaked key is recognisable in logs and scanners. */
export const API_KEY_PREFIX = 'vk_';
/** Prefix of generated read API tokens. */
export const READ_TOKEN_PREFIX = 'vr_';

/** 24 random bytes = 192 bits, far beyond guessing; 32 url-safe characters. */
const SECRET_BYTES = 24;

/** A new random secret, url-safe (it travels in headers, cookies and query strings). */
export function generateSecret(prefix = ''): string {
  return prefix + randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * The SHA-256 of a secret, hex encoded. Secrets are looked up by this hash, so the database
 * never holds anything that authenticates, and the lookup does not compare the secret itself
 * byte by byte (an attacker cannot steer the hash to learn a key through timing). A plain hash
 * without salt is enough here because the secrets are random, unlike passwords.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The part of a secret that is safe to show: up to 7 characters (the `vk_`/`vr_` marker and 4
 * random ones), but never more than a quarter of the secret, so that a short operator-chosen
 * bootstrap key is not half disclosed by the listing.
 */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, Math.min(7, Math.floor(secret.length / 4)));
}
