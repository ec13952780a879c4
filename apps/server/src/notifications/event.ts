/** What happened; integrations choose their wording and their receiver's action from it. */
export type NotificationKind = 'incident_opened' | 'incident_resolved' | 'deployment' | 'test';

export type NotificationSeverity = 'warning' | 'critical' | 'info';

/**
 * One notification, built by the incident and deployment code and sent to every integration of
 * the project that subscribes to its kind. `incidentId` ties an incident's open and resolve
 * together (Slack threads, PagerDuty dedup keys, Opsgenie aliases).
 */
export interface NotificationEvent {
  kind: NotificationKind;
  project: string;
  applicationId: string;
  title: string;
  summary: string;
  severity: NotificationSeverity;
  /** When it happened, Unix milliseconds. */
  atMs: number;
  incidentId?: string;
  deploymentId?: string;
  /** Where to look in Vigil's UI. */
  url?: string;
  /** Extra facts shown as key/value pairs. */
  details?: Record<string, string>;
}

/** Which kinds of events an integration receives. */
export interface Subscription {
  incidents: boolean;
  deployments: boolean;
}

/** Whether an integration with these flags receives an event of `kind`; tests go everywhere. */
export function subscribes(subscription: Subscription, kind: NotificationKind): boolean {
  switch (kind) {
    case 'incident_opened':
    case 'incident_resolved':
      return subscription.incidents;
    case 'deployment':
      return subscription.deployments;
    case 'test':
      return true;
  }
}

/** The one-line heading chat integrations put above the title. */
export function headline(event: NotificationEvent): string {
  switch (event.kind) {
    case 'incident_opened':
      return `Incident opened (${event.severity})`;
    case 'incident_resolved':
      return 'Incident resolved';
    case 'deployment':
      return 'Deployment';
    case 'test':
      return 'Test notification';
  }
}

/** Key facts of an event in display order: project, application, then the event's details. */
export function facts(event: NotificationEvent): Array<[string, string]> {
  const list: Array<[string, string]> = [
    ['Project', event.project],
    ['Application', event.applicationId],
    ['Severity', event.severity],
  ];
  if (event.incidentId !== undefined) list.push(['Incident', event.incidentId]);
  if (event.deploymentId !== undefined) list.push(['Deployment', event.deploymentId]);
  for (const [key, value] of Object.entries(event.details ?? {})) list.push([key, value]);
  return list;
}

/** The event sent by "send test notification". */
export function testEvent(project: string, type: string, atMs: number): NotificationEvent {
  return {
    kind: 'test',
    project,
    applicationId: 'vigil',
    title: 'Test notification from Vigil',
    summary: `If you can read this, the ${type} integration of project "${project}" works.`,
    severity: 'info',
    atMs,
  };
}
