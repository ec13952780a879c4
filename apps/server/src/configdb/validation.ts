import { z } from 'zod';
import { AppError } from '@vigil/core';
import { ROLES, type Role } from './config-db.ts';

/**
 * Input rules of the config DB, checked before anything reaches SQL. Each message names the
 * field and the rule, because it is shown to the user who typed the value.
 */

const projectId = z.string({ error: 'project id must be a string' }).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
  error: "project id must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
});

const projectName = z
  .string({ error: 'project name must be a string' })
  .trim()
  .min(1, { error: 'project name must not be empty' })
  .max(128, { error: 'project name must be at most 128 characters' });

const username = z.string({ error: 'username must be a string' }).regex(/^[A-Za-z0-9_.@-]{1,64}$/, {
  error: "username must be 1-64 characters of A-Z, a-z, 0-9, '_', '.', '@' or '-'",
});

// The upper bound keeps a login request from feeding megabytes into scrypt.
const password = z
  .string({ error: 'password must be a string' })
  .min(8, { error: 'password must be at least 8 characters' })
  .max(1024, { error: 'password must be at most 1024 characters' });

const role = z.enum(ROLES as [Role, ...Role[]], { error: `role must be one of ${ROLES.join(', ')}` });

const description = z
  .string({ error: 'description must be a string' })
  .max(256, { error: 'description must be at most 256 characters' });

// Operator-chosen keys travel in HTTP headers and gRPC metadata: printable ASCII, no spaces.
const apiKey = z.string({ error: 'API key must be a string' }).regex(/^[\x21-\x7e]{1,256}$/, {
  error: 'API key must be 1-256 printable ASCII characters without spaces',
});

const settingKey = z.string({ error: 'setting key must be a string' }).regex(/^[A-Za-z0-9_.:-]{1,128}$/, {
  error: "setting key must be 1-128 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'",
});

const MAX_TTL_MS = 366 * 24 * 3600 * 1000;
const ttlMs = z
  .number({ error: 'session TTL must be a number of milliseconds' })
  .int({ error: 'session TTL must be a whole number of milliseconds' })
  .positive({ error: 'session TTL must be positive' })
  .max(MAX_TTL_MS, { error: 'session TTL must be at most 366 days' });

const id = z.string({ error: 'id must be a string' }).min(1, { error: 'id must not be empty' });

/** The schemas, by the name of the value they check. */
export const schemas = {
  projectId,
  projectName,
  username,
  password,
  role,
  description,
  apiKey,
  settingKey,
  ttlMs,
  id,
  createApiKey: z.object({ key: apiKey.optional(), description }),
  createUser: z.object({ username, password, role }),
  createReadToken: z.object({
    createdBy: id,
    description,
    role: role.default('Viewer'),
    projectId: projectId.optional(),
  }),
} as const;

/** Parses `value`, or throws AppError('bad_request') listing every problem found. */
export function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = [...new Set(result.error.issues.map((issue) => issue.message))].join('; ');
  throw new AppError('bad_request', message, { cause: result.error });
}

/** A setting value as stored: JSON text, at most 64 KiB (settings are small by design). */
export function settingJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new AppError('bad_request', 'setting value must be JSON-serialisable', { cause: err });
  }
  if (json === undefined) throw new AppError('bad_request', 'setting value must be JSON-serialisable');
  if (Buffer.byteLength(json) > 64 * 1024) {
    throw new AppError('bad_request', 'setting value must be at most 64 KiB as JSON');
  }
  return json;
}
