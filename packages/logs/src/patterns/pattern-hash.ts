/**
 * A pattern's name: the first 16 hex digits of the SHA-1 of its normalised text. Deterministic,
 * so the same message shape gets the same hash in every process and after restarts.
 */
import { createHash } from 'node:crypto';

export function patternHash(normalizedText: string): string {
  return createHash('sha1').update(normalizedText).digest('hex').slice(0, 16);
}
