/**
 * Notifications: per-project integrations (webhook, Slack, Teams, PagerDuty, Opsgenie) that
 * receive incident and deployment events. Build with {@link createNotifications}; send with
 * `dispatcher.notify(event)`.
 */
export type { NotificationEvent, NotificationKind, NotificationSeverity, Subscription } from './event.ts';
export {
  createNotifications,
  type CreateNotificationsOptions,
  type Notifications,
} from './create-notifications.ts';
export {
  NotificationDispatcher,
  type DeliveryReport,
  type NotificationDispatcherOptions,
} from './dispatcher.ts';
export { IntegrationService, type IntegrationView } from './integration-service.ts';
export { INTEGRATIONS } from './integrations/registry.ts';
export { DEFAULT_RETRY_POLICY, type DeliveryResult, type RetryPolicy } from './retry.ts';
export { TEMPLATE_FIELDS } from './template.ts';
