import { z } from 'zod';
import { failed } from '@vigil/core';
import { facts, type NotificationEvent } from '../event.ts';
import { classify } from '../http-client.ts';
import { defineIntegration, httpUrl } from './definition.ts';

const schema = z.strictObject({
  /** Secret: the integration key of an Events API v2 integration of a PagerDuty service. */
  routingKey: z.string({ error: 'routingKey must be a string' }).regex(/^[A-Za-z0-9]{32}$/, {
    error: 'routingKey must be the 32-character integration key of a PagerDuty Events API v2 integration',
  }),
  eventsUrl: httpUrl('eventsUrl').default('https://events.pagerduty.com/v2/enqueue'),
  /** Deployments go to the Change Events API: they show on the service without paging anyone. */
  changeEventsUrl: httpUrl('changeEventsUrl').default('https://events.pagerduty.com/v2/change/enqueue'),
});

// PagerDuty truncates a longer summary; cutting it here keeps the end readable.
const MAX_SUMMARY = 1024;

function summary(event: NotificationEvent): string {
  const text = `${event.applicationId}: ${event.title}`;
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

function links(event: NotificationEvent): Array<{ href: string; text: string }> {
  return event.url === undefined ? [] : [{ href: event.url, text: 'Open in Vigil' }];
}

/** The Events API v2 body for an event; dedup keys tie an incident's trigger and resolve. */
export function pagerDutyEvent(
  routingKey: string,
  event: NotificationEvent,
  dedupKey: string,
): Record<string, unknown> {
  if (event.kind === 'incident_resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: summary(event),
      source: event.applicationId,
      severity: event.severity,
      timestamp: new Date(event.atMs).toISOString(),
      component: event.applicationId,
      group: event.project,
      class: event.kind,
      custom_details: { summary: event.summary, ...Object.fromEntries(facts(event)) },
    },
    client: 'Vigil',
    ...(event.url === undefined ? {} : { client_url: event.url }),
    links: links(event),
  };
}

/**
 * PagerDuty Events API v2: an incident opening triggers an alert with `dedup_key` = incident
 * id, its resolution resolves the same alert; a test triggers an `info` alert. Deployments are
 * change events.
 */
export const pagerDutyIntegration = defineIntegration({
  type: 'pagerduty',
  schema,
  secretKeys: ['routingKey'],
  async send(config, event, ctx) {
    if (event.kind === 'deployment') {
      const body = {
        routing_key: config.routingKey,
        payload: {
          summary: summary(event),
          source: event.applicationId,
          timestamp: new Date(event.atMs).toISOString(),
          custom_details: { summary: event.summary, ...Object.fromEntries(facts(event)) },
        },
        links: links(event),
      };
      return classify(await ctx.http({ url: config.changeEventsUrl, body }));
    }
    const dedupKey = event.kind === 'test' ? `vigil-test-${event.project}` : event.incidentId;
    if (dedupKey === undefined)
      return failed(new Error(`a ${event.kind} event needs an incidentId for PagerDuty`));
    return classify(
      await ctx.http({ url: config.eventsUrl, body: pagerDutyEvent(config.routingKey, event, dedupKey) }),
    );
  },
});
