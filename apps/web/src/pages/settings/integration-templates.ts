/**
 * A starting configuration per notification integration type, naming the fields the server
 * requires (apps/server/src/notifications/integrations/*.ts); the user replaces the placeholders.
 */
export const INTEGRATION_TEMPLATES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  slack: { webhookUrl: 'https://hooks.slack.com/services/…' },
  teams: { webhookUrl: 'https://…', format: 'adaptive_card' },
  pagerduty: { routingKey: '' },
  opsgenie: { apiKey: '', region: 'us' },
  webhook: { url: 'https://…', method: 'POST' },
};
