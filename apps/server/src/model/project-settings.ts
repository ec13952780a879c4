/**
 * The model's per-project settings, kept in the config DB's settings table as JSON and validated
 * here on the way in and out: inspection thresholds (project-wide and per application), SLO
 * objectives per application, and the category globs.
 */
import { z } from 'zod';
import { AppError } from '@vigil/core';
import { CHECK_IDS, parseSloConfig, type CheckId, type Overrides, type SloConfig } from '@vigil/audit';
import type { CategoryRules } from '@vigil/model';
import type { ConfigDb } from '../configdb/index.ts';

const INSPECTIONS_KEY = 'inspections';
const SLO_KEY = 'slo';
const CATEGORIES_KEY = 'categories';

const override = z.strictObject({
  warning: z.number({ error: 'warning must be a number' }).finite().optional(),
  critical: z.number({ error: 'critical must be a number' }).finite().optional(),
  disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
});

/** `{ <checkId>: { warning?, critical?, disabled? } }`, unknown check ids refused by name. */
export const overridesSchema = z
  .record(z.string(), override, { error: 'thresholds must be an object keyed by check id' })
  .superRefine((value, ctx) => {
    for (const id of Object.keys(value))
      if (!(CHECK_IDS as string[]).includes(id))
        ctx.addIssue({ code: 'custom', message: `unknown check "${id}"; known: ${CHECK_IDS.join(', ')}` });
  })
  .transform((v) => v as Overrides);

const inspectionsSchema = z.object({
  project: overridesSchema.default({}),
  applications: z.record(z.string(), overridesSchema).default({}),
});
type Inspections = z.infer<typeof inspectionsSchema>;

export const categoriesSchema = z
  .array(
    z.strictObject({
      category: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'category must be 1-32 of a-z, 0-9, "-"' }),
      globs: z.array(z.string().min(1).max(256)).max(64),
    }),
    { error: 'categories must be a list of {category, globs}' },
  )
  .max(32);

export function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('bad_request', `invalid ${what}: ${path}${issue?.message ?? 'bad value'}`);
}

export class ProjectSettings {
  #version = 0;

  constructor(private readonly db: ConfigDb) {}

  /** Goes up with every change made through this object: audits cached before are stale. */
  get version(): number {
    return this.#version;
  }

  async inspections(project: string): Promise<Inspections> {
    const raw = await this.db.getSetting(project, INSPECTIONS_KEY);
    return inspectionsSchema.parse(raw ?? {});
  }

  /** Replaces the project-wide overrides (`appId` undefined) or one application's. */
  async setInspections(project: string, appId: string | undefined, value: unknown): Promise<Inspections> {
    const overrides = parseOrBadRequest(overridesSchema, value, 'thresholds');
    const current = await this.inspections(project);
    const next: Inspections =
      appId === undefined
        ? { ...current, project: overrides }
        : { ...current, applications: { ...current.applications, [appId]: overrides } };
    await this.db.setSetting(project, INSPECTIONS_KEY, next);
    this.#version++;
    return next;
  }

  async slo(project: string, appId: string): Promise<SloConfig | undefined> {
    return (await this.slos(project)).get(appId);
  }

  /** Every application's saved SLO configuration, read once: an audit pass needs them all. */
  async slos(project: string): Promise<Map<string, SloConfig>> {
    const all = ((await this.db.getSetting(project, SLO_KEY)) ?? {}) as Record<string, unknown>;
    const out = new Map<string, SloConfig>();
    for (const [appId, value] of Object.entries(all)) out.set(appId, parseSloConfig(value));
    return out;
  }

  async setSlo(project: string, appId: string, value: unknown): Promise<SloConfig> {
    const config = parseSloConfig(value);
    const all = ((await this.db.getSetting(project, SLO_KEY)) ?? {}) as Record<string, unknown>;
    await this.db.setSetting(project, SLO_KEY, { ...all, [appId]: config });
    this.#version++;
    return config;
  }

  async categories(project: string): Promise<CategoryRules | undefined> {
    const raw = await this.db.getSetting(project, CATEGORIES_KEY);
    return raw === undefined ? undefined : categoriesSchema.parse(raw);
  }

  async setCategories(project: string, value: unknown): Promise<CategoryRules> {
    const rules = parseOrBadRequest(categoriesSchema, value, 'categories');
    await this.db.setSetting(project, CATEGORIES_KEY, rules);
    this.#version++;
    return rules;
  }
}

export type { CheckId };
