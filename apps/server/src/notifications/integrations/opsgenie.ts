import { z } from 'zod';
import { failed } from '@vigil/core';
import { facts, type NotificationEvent } from '../event.ts';
import { classify } from '../http-client.ts';
import { defineIntegration, httpUrl, joinUrl, secretString } from './definition.ts';

const BASE_URLS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;

const schema = z.strictObject({
  /** Secret: an API integration's key. */
  apiKey: secretString('apiKey', 128),
  /** Which Opsgenie instance the account lives in. */
  region: z.enum(['us', 'eu'], { error: 'region must be us or eu' }).default('us'),
  /** Overrides `region` (a proxy, or tests). */
  baseUrl: httpUrl('baseUrl').optional(),
});

const PRIORITY = { critical: 'P1', warning: 'P3', info: 'P5' } as const;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The alias of an event's alert: an incident's id, so the close finds the alert it opened. */
function alias(event: NotificationEvent): string | undefined {
  if (event.kind === 'test') return `vigil-test-${event.project}`;
  if (event.kind === 'deployment') return `vigil-deployment-${event.deploymentId ?? event.atMs}`;
  return event.incidentId;
}

/** The body of `POST /v2/alerts` (Opsgenie's limits: message 130, alias 512, description 15000). */
export function opsgenieAlert(event: NotificationEvent, alertAlias: string): Record<string, unknown> {
  return {
    message: cut(`${event.applicationId}: ${event.title}`, 130),
    alias: alertAlias,
    description: cut(event.url === undefined ? event.summary : `${event.summary}\n\n${event.url}`, 15_000),
    priority: event.kind === 'deployment' ? 'P5' : PRIORITY[event.severity],
    source: 'Vigil',
    entity: event.applicationId,
    tags: ['vigil', event.project, event.kind],
    details: Object.fromEntries(facts(event)),
  };
}

/**
 * Opsgenie Alert API: an incident opening creates an alert with alias = incident id, its
 * resolution closes that alert by alias. Deployments and tests create P5 alerts.
 */
export const opsgenieIntegration = defineIntegration({
  type: 'opsgenie',
  schema,
  secretKeys: ['apiKey'],
  async send(config, event, ctx) {
    const base = config.baseUrl ?? BASE_URLS[config.region];
    const headers = { authorization: `GenieKey ${config.apiKey}` };
    const alertAlias = alias(event);
    if (alertAlias === undefined)
      return failed(new Error(`a ${event.kind} event needs an incidentId for Opsgenie`));
    if (event.kind === 'incident_resolved') {
      const url = joinUrl(base, `v2/alerts/${encodeURIComponent(alertAlias)}/close?identifierType=alias`);
      return classify(
        await ctx.http({ url, headers, body: { source: 'Vigil', note: cut(event.summary, 25_000) } }),
      );
    }
    return classify(
      await ctx.http({ url: joinUrl(base, 'v2/alerts'), headers, body: opsgenieAlert(event, alertAlias) }),
    );
  },
});
