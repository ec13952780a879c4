/**
 * What an Editor saved about collecting from an application's database instances: the type and
 * port when they differ from what the model sees, the credentials (the password sealed with the
 * server's secret key, bound to project and application), driver parameters, or that it must not
 * be collected at all. Stored as one config-DB setting per project.
 */
import { z } from 'zod';
import type { ConfigDb } from '../configdb/index.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import type { SecretBox } from '../secrets/index.ts';

const KEY = 'instrumentation';

export const DATABASE_TYPES = ['postgres', 'mysql', 'redis', 'mongodb', 'memcached'] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

const inputSchema = z.object({
  type: z.enum(DATABASE_TYPES, { error: `type must be one of ${DATABASE_TYPES.join(', ')}` }).optional(),
  port: z
    .number({ error: 'port must be a number' })
    .int()
    .min(1)
    .max(65535, { error: 'port must be 1-65535' })
    .optional(),
  credentials: z
    .object({
      username: z.string().max(256).optional(),
      password: z.string().max(1024).optional(),
    })
    .optional(),
  params: z.record(z.string(), z.string().max(1024)).optional(),
  disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
});

export type InstrumentationInput = z.infer<typeof inputSchema>;

interface Stored {
  type?: DatabaseType;
  port?: number;
  username?: string;
  sealedPassword?: string;
  params?: Record<string, string>;
  disabled?: boolean;
}

/** As the API shows it: whether a password is set, never the password. */
export interface InstrumentationView {
  readonly type?: DatabaseType;
  readonly port?: number;
  readonly credentials: { readonly username?: string; readonly passwordSet: boolean };
  readonly params: Readonly<Record<string, string>>;
  readonly disabled: boolean;
}

/** As the cluster agent needs it. */
export interface Instrumentation {
  readonly type?: DatabaseType;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly disabled: boolean;
}

export class InstrumentationSettings {
  constructor(
    private readonly db: ConfigDb,
    private readonly box: SecretBox,
  ) {}

  async view(project: string, appId: string): Promise<InstrumentationView | undefined> {
    const s = (await this.#all(project))[appId];
    if (!s) return undefined;
    return {
      ...(s.type ? { type: s.type } : {}),
      ...(s.port ? { port: s.port } : {}),
      credentials: {
        ...(s.username ? { username: s.username } : {}),
        passwordSet: s.sealedPassword !== undefined,
      },
      params: s.params ?? {},
      disabled: s.disabled ?? false,
    };
  }

  /** Replaces what is saved for the application; a password left out keeps the saved one. */
  async set(project: string, appId: string, value: unknown): Promise<InstrumentationView> {
    const input = parseOrBadRequest(inputSchema, value, 'instrumentation');
    const all = await this.#all(project);
    const before = all[appId];
    const password = input.credentials?.password;
    const stored: Stored = {
      ...(input.type ? { type: input.type } : {}),
      ...(input.port ? { port: input.port } : {}),
      ...(input.credentials?.username ? { username: input.credentials.username } : {}),
      ...(password !== undefined
        ? password === ''
          ? {}
          : { sealedPassword: this.box.seal(password, context(project, appId)) }
        : before?.sealedPassword
          ? { sealedPassword: before.sealedPassword }
          : {}),
      ...(input.params ? { params: input.params } : {}),
      ...(input.disabled ? { disabled: true } : {}),
    };
    await this.db.setSetting(project, KEY, { ...all, [appId]: stored });
    return (await this.view(project, appId))!;
  }

  /** Everything saved for the project, passwords opened (for `/v1/config`). */
  async all(project: string): Promise<Map<string, Instrumentation>> {
    const out = new Map<string, Instrumentation>();
    for (const [appId, s] of Object.entries(await this.#all(project))) {
      out.set(appId, {
        ...(s.type ? { type: s.type } : {}),
        ...(s.port ? { port: s.port } : {}),
        ...(s.username ? { username: s.username } : {}),
        ...(s.sealedPassword ? { password: this.box.open(s.sealedPassword, context(project, appId)) } : {}),
        params: s.params ?? {},
        disabled: s.disabled ?? false,
      });
    }
    return out;
  }

  async #all(project: string): Promise<Record<string, Stored>> {
    return ((await this.db.getSetting(project, KEY)) ?? {}) as Record<string, Stored>;
  }
}

function context(project: string, appId: string): string {
  return `project ${project} instrumentation of ${appId}`;
}
