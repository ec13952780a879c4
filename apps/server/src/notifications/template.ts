import type { NotificationEvent } from './event.ts';

/** A JSON value, as a webhook template is written and as it renders. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Fields a webhook template may name: the event's own, `at` (ISO 8601 time) and
 * `details.<key>` for one detail.
 */
export const TEMPLATE_FIELDS = [
  'kind',
  'project',
  'applicationId',
  'title',
  'summary',
  'severity',
  'atMs',
  'at',
  'incidentId',
  'deploymentId',
  'url',
  'details',
] as const;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_.-]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9_.-]*)\s*\}\}$/;
const KNOWN = new Set<string>(TEMPLATE_FIELDS);

function known(field: string): boolean {
  return KNOWN.has(field) || /^details\.[^.]+$/.test(field);
}

/** Placeholders in a template that name no field, for the validation message. */
export function unknownPlaceholders(template: JsonValue): string[] {
  const found = new Set<string>();
  visitStrings(template, (s) => {
    for (const match of s.matchAll(PLACEHOLDER)) {
      const field = match[1] ?? '';
      if (!known(field)) found.add(field);
    }
  });
  return [...found];
}

function visitStrings(value: JsonValue, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) visitStrings(item, visit);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) visitStrings(v, visit);
}

function fieldValue(event: NotificationEvent, field: string): JsonValue {
  if (field === 'at') return new Date(event.atMs).toISOString();
  if (field.startsWith('details.')) return event.details?.[field.slice('details.'.length)] ?? null;
  const value = (event as unknown as Record<string, JsonValue | undefined>)[field];
  return value ?? null;
}

/**
 * Renders a template over an event. The template is JSON whose string values may hold
 * `{{field}}` placeholders, so the result is always valid JSON whatever the event's text holds
 * (no quoting to get wrong). A string that is exactly one placeholder takes the field's own
 * type: `"{{atMs}}"` gives a number, `"{{details}}"` an object, a missing field `null`. Inside
 * longer text a missing field is empty and `details` is its JSON. Keys are not templated.
 */
export function renderTemplate(template: JsonValue, event: NotificationEvent): JsonValue {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return fieldValue(event, whole[1] ?? '');
    return template.replace(PLACEHOLDER, (_m, field: string) => {
      const value = fieldValue(event, field);
      if (value === null) return '';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, event));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, event)]));
  }
  return template;
}

/** The webhook body when no template is configured. */
export function defaultWebhookBody(event: NotificationEvent): JsonValue {
  const body: Record<string, JsonValue> = {
    version: 1,
    kind: event.kind,
    project: event.project,
    applicationId: event.applicationId,
    title: event.title,
    summary: event.summary,
    severity: event.severity,
    atMs: event.atMs,
    at: new Date(event.atMs).toISOString(),
  };
  if (event.incidentId !== undefined) body.incidentId = event.incidentId;
  if (event.deploymentId !== undefined) body.deploymentId = event.deploymentId;
  if (event.url !== undefined) body.url = event.url;
  if (event.details !== undefined) body.details = event.details;
  return body;
}
