import { AppError } from '@vigil/core';

/** What the API shows instead of a secret; a value starting with it means "keep the stored one". */
export const MASK = '••••';

/** Secret values are strings or, for headers, records of strings. */
export type SecretValues = Record<string, string | Record<string, string>>;

/**
 * `••••` plus the last 4 characters of a secret long enough that 4 characters give little
 * away (≥ 16), so a user can tell which token is configured; shorter ones are masked whole.
 */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `${MASK}${value.slice(-4)}` : MASK;
}

function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(MASK);
}

/** Splits a validated config into the part stored in clear and the part stored sealed. */
export function splitSecrets(
  config: Record<string, unknown>,
  secretKeys: readonly string[],
): { settings: Record<string, unknown>; secrets: SecretValues } {
  const settings: Record<string, unknown> = {};
  const secrets: SecretValues = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (secretKeys.includes(key)) secrets[key] = value as string | Record<string, string>;
    else settings[key] = value;
  }
  return { settings, secrets };
}

/** The config as the API shows it: settings as they are, each secret masked. */
export function maskedConfig(
  settings: Record<string, unknown>,
  secrets: SecretValues,
): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(secrets)) {
    masked[key] =
      typeof value === 'string'
        ? maskSecret(value)
        : Object.fromEntries(Object.entries(value).map(([name, v]) => [name, maskSecret(v)]));
  }
  return masked;
}

/**
 * Fills the secrets an update leaves out from the stored ones, so a UI can send back what it
 * read (masked) or nothing at all without wiping a token it never saw:
 * - omitted or masked → the stored value; `null` → removed; anything else → the new value;
 * - a record (headers) is replaced as a whole, but an entry given masked keeps its stored value.
 * A masked value with nothing stored behind it is refused: it would otherwise be sent as is.
 */
export function mergeSecrets(
  incoming: Record<string, unknown>,
  stored: SecretValues,
  secretKeys: readonly string[],
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...incoming };
  for (const key of secretKeys) {
    const value = incoming[key];
    const previous = stored[key];
    if (value === null) {
      delete merged[key];
    } else if (value === undefined || isMasked(value)) {
      if (previous === undefined) {
        if (value !== undefined) throw nothingStored(key);
        delete merged[key];
      } else {
        merged[key] = previous;
      }
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      const before = typeof previous === 'object' ? previous : {};
      merged[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, v]) => {
          if (!isMasked(v)) return [name, v];
          const kept = before[name];
          if (kept === undefined) throw nothingStored(`${key}.${name}`);
          return [name, kept];
        }),
      );
    }
  }
  return merged;
}

function nothingStored(field: string): AppError {
  return new AppError('bad_request', `${field}: no stored secret to keep; enter the value`);
}
