/**
 * The thresholds form's model: one row of text per check (empty = the default), built from
 * `GET /api/v1/inspections` and turned back into the overrides `PUT /api/v1/inspections` takes.
 */
import type { InspectionsAnswer, ThresholdOverride } from './settings-types.ts';

/** What the form holds for one check. */
export interface ThresholdRow {
  readonly warning: string;
  readonly critical: string;
  readonly disabled: boolean;
}

/** The overrides to send, or the first field (`<checkId> warning|critical`) that is not a number. */
export type OverridesResult =
  | { readonly ok: true; readonly overrides: Record<string, ThresholdOverride> }
  | { readonly ok: false; readonly invalid: string };

/** A threshold as the form shows it: empty when unset. */
export const thresholdText = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** The form's rows: every check the server knows, with the project's saved overrides. */
export function rowsOf(answer: InspectionsAnswer): Record<string, ThresholdRow> {
  const rows: Record<string, ThresholdRow> = {};
  for (const id of Object.keys(answer.defaults)) {
    const o = answer.project[id] ?? {};
    rows[id] = {
      warning: thresholdText(o.warning),
      critical: thresholdText(o.critical),
      disabled: o.disabled === true,
    };
  }
  return rows;
}

/** The project-wide overrides the rows say: only the checks with something set. */
export function overridesOf(rows: Readonly<Record<string, ThresholdRow>>): OverridesResult {
  const overrides: Record<string, ThresholdOverride> = {};
  for (const [id, r] of Object.entries(rows)) {
    const o: { warning?: number; critical?: number; disabled?: boolean } = {};
    for (const field of ['warning', 'critical'] as const) {
      const raw = r[field].trim();
      if (raw === '') continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) return { ok: false, invalid: `${id} ${field}` };
      o[field] = n;
    }
    if (r.disabled) o.disabled = true;
    if (Object.keys(o).length > 0) overrides[id] = o;
  }
  return { ok: true, overrides };
}
