import { AppError } from '@vigil/core';
import type { Integration } from './definition.ts';
import { opsgenieIntegration } from './opsgenie.ts';
import { pagerDutyIntegration } from './pagerduty.ts';
import { slackIntegration } from './slack.ts';
import { teamsIntegration } from './teams.ts';
import { webhookIntegration } from './webhook.ts';

/** Every integration type, by the name used in the API path and the config DB. */
export const INTEGRATIONS: ReadonlyMap<string, Integration> = new Map(
  [webhookIntegration, slackIntegration, teamsIntegration, pagerDutyIntegration, opsgenieIntegration].map(
    (i) => [i.type, i],
  ),
);

/** The integration of a type; throws `bad_request` listing the known ones otherwise. */
export function integrationOf(type: string): Integration {
  const integration = INTEGRATIONS.get(type);
  if (integration === undefined) {
    throw new AppError(
      'bad_request',
      `unknown integration type "${type}"; known types: ${[...INTEGRATIONS.keys()].join(', ')}`,
    );
  }
  return integration;
}
