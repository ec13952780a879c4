import { z } from 'zod';
import { AppError, failed, type Logger, type Outcome } from '@vigil/core';
import type { NotificationEvent } from '../event.ts';
import type { HttpSend } from '../http-client.ts';

/** Per-incident thread references of one integration (e.g. Slack's channel and `ts`). */
export interface ThreadStore {
  get(incidentId: string): Promise<string | null>;
  set(incidentId: string, ref: string): Promise<void>;
  delete(incidentId: string): Promise<void>;
}

/** What an integration may use while sending. */
export interface SendContext {
  http: HttpSend;
  threads: ThreadStore;
  logger: Logger;
}

/** How one integration type is written: its config schema, its secrets and how it sends. */
export interface IntegrationSpec<C> {
  type: string;
  /** The whole configuration, secrets included; zod messages are shown to the user. */
  schema: z.ZodType<C>;
  /** Top-level config keys that hold secrets: a string, or a record of strings (headers). */
  secretKeys: readonly string[];
  /** One delivery attempt; the dispatcher retries what comes back `retryable`. */
  send(config: C, event: NotificationEvent, ctx: SendContext): Promise<Outcome>;
}

/** An integration type with its config type erased, as the registry holds it. */
export interface Integration {
  readonly type: string;
  readonly secretKeys: readonly string[];
  /** Checks a configuration; throws AppError `bad_request` naming each wrong field. */
  validate(config: unknown): void;
  /** One attempt to deliver `event`; a stored config that no longer validates fails. */
  send(config: Record<string, unknown>, event: NotificationEvent, ctx: SendContext): Promise<Outcome>;
}

/** Turns a typed spec into an {@link Integration}. */
export function defineIntegration<C>(spec: IntegrationSpec<C>): Integration {
  const parse = (config: unknown): C => {
    const result = spec.schema.safeParse(config);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    });
    throw new AppError(
      'bad_request',
      `invalid ${spec.type} configuration: ${[...new Set(problems)].join('; ')}`,
      {
        cause: result.error,
      },
    );
  };
  return {
    type: spec.type,
    secretKeys: spec.secretKeys,
    validate: (config) => void parse(config),
    async send(config, event, ctx) {
      let parsed: C;
      try {
        parsed = parse(config);
      } catch (err) {
        return failed(err as Error);
      }
      return spec.send(parsed, event, ctx);
    },
  };
}

/** An http(s) URL, named in the message. */
export function httpUrl(name: string) {
  return z.string({ error: `${name} must be a string` }).refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: `${name} must be an http:// or https:// URL` },
  );
}

/** A secret string: non-empty, bounded, no surrounding whitespace (a paste accident). */
export function secretString(name: string, maxChars = 1024) {
  return z
    .string({ error: `${name} must be a string` })
    .min(1, { error: `${name} must not be empty` })
    .max(maxChars, { error: `${name} must be at most ${maxChars} characters` })
    .refine((value) => value.trim() === value, { error: `${name} must not start or end with whitespace` });
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
