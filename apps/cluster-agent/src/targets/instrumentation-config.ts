/**
 * The server's answer to `GET /v1/config` (Coroot's contract, see coroot-compat.md):
 *
 * ```json
 * { "application_instrumentation": [
 *     { "type": "postgres", "host": "10.0.0.5", "port": "5432",
 *       "credentials": { "username": "coroot", "password": "…" },
 *       "params": { "sslmode": "disable" }, "instance": "/k8s/db/pg-0/postgres" } ],
 *   "aws_config": null }
 * ```
 *
 * Read leniently where Coroot is loose (a port as text or number, missing credentials) and
 * strictly where a mistake would send the agent somewhere wrong: an entry of an unknown type or
 * without a usable host and port is dropped and reported, the others are kept.
 */
import { z } from 'zod';
import type { Target, TargetType } from '../collectors/target.ts';

const TYPES: readonly TargetType[] = ['postgres', 'mysql', 'redis', 'memcached', 'mongodb'];

const entrySchema = z.object({
  type: z.string(),
  host: z.string().min(1, { error: 'host is empty' }),
  port: z.union([z.number(), z.string()]).transform((p) => Number(p)),
  credentials: z.object({ username: z.string().optional(), password: z.string().optional() }).nullish(),
  params: z.record(z.string(), z.string()).nullish(),
  instance: z.string().nullish(),
});

export interface ParsedConfig {
  readonly targets: Target[];
  /** One line per entry that was dropped, saying why. */
  readonly problems: string[];
}

export function parseInstrumentationConfig(body: unknown): ParsedConfig {
  const list = (body as { application_instrumentation?: unknown } | null)?.application_instrumentation;
  if (list === undefined || list === null) return { targets: [], problems: [] };
  if (!Array.isArray(list)) return { targets: [], problems: ['application_instrumentation is not a list'] };
  const targets: Target[] = [];
  const problems: string[] = [];
  list.forEach((raw: unknown, i) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`entry ${i}: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const e = parsed.data;
    if (!TYPES.includes(e.type as TargetType)) {
      problems.push(`entry ${i}: type "${e.type}" is not one of ${TYPES.join(', ')}`);
      return;
    }
    if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) {
      problems.push(`entry ${i}: port ${JSON.stringify((raw as { port?: unknown }).port)} is not 1-65535`);
      return;
    }
    targets.push({
      type: e.type as TargetType,
      host: e.host,
      port: e.port,
      ...(e.credentials ? { credentials: e.credentials } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.instance ? { instance: e.instance } : {}),
    });
  });
  return { targets, problems };
}
