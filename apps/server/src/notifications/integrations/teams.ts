import { z } from 'zod';
import { facts, headline, type NotificationEvent } from '../event.ts';
import { classify } from '../http-client.ts';
import { defineIntegration, httpUrl } from './definition.ts';

const schema = z.strictObject({
  /** Secret: the URL is the credential (Workflows or a legacy connector). */
  webhookUrl: httpUrl('webhookUrl'),
  /**
   * `adaptive_card` for Teams Workflows ("post to a channel when a webhook request is
   * received"), `message_card` for the retired Office 365 connectors still in use.
   */
  format: z
    .enum(['adaptive_card', 'message_card'], { error: 'format must be adaptive_card or message_card' })
    .default('adaptive_card'),
});

function color(event: NotificationEvent): { adaptive: string; hex: string } {
  if (event.kind === 'incident_resolved') return { adaptive: 'good', hex: '2DA44E' };
  if (event.severity === 'critical') return { adaptive: 'attention', hex: 'D93F0B' };
  if (event.severity === 'warning') return { adaptive: 'warning', hex: 'FBCA04' };
  return { adaptive: 'accent', hex: '1D76DB' };
}

/** A Teams message holding one Adaptive Card (schema 1.4, which Teams renders). */
export function adaptiveCardMessage(event: NotificationEvent): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: headline(event), weight: 'Bolder', color: color(event).adaptive },
            { type: 'TextBlock', text: event.title, size: 'Medium', weight: 'Bolder', wrap: true },
            { type: 'TextBlock', text: event.summary, wrap: true },
            { type: 'FactSet', facts: facts(event).map(([title, value]) => ({ title, value })) },
          ],
          actions:
            event.url === undefined
              ? []
              : [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: event.url }],
        },
      },
    ],
  };
}

/** The legacy connector card. */
export function messageCard(event: NotificationEvent): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: `${headline(event)}: ${event.title}`,
    themeColor: color(event).hex,
    title: `${headline(event)}: ${event.title}`,
    sections: [{ text: event.summary, facts: facts(event).map(([name, value]) => ({ name, value })) }],
    ...(event.url === undefined
      ? {}
      : {
          potentialAction: [
            { '@type': 'OpenUri', name: 'Open in Vigil', targets: [{ os: 'default', uri: event.url }] },
          ],
        }),
  };
}

/** Microsoft Teams by incoming webhook: one card per event. */
export const teamsIntegration = defineIntegration({
  type: 'teams',
  schema,
  secretKeys: ['webhookUrl'],
  async send(config, event, ctx) {
    const body = config.format === 'message_card' ? messageCard(event) : adaptiveCardMessage(event);
    return classify(await ctx.http({ url: config.webhookUrl, body }));
  },
});
