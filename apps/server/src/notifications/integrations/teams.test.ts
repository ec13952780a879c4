import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, incidentOpened, startHarness, type Harness } from '../testing/harness.ts';
import { Receiver } from '../testing/receiver.ts';

let h: Harness;
let teams: Receiver;
beforeEach(async () => {
  h = await startHarness();
  // A Teams Workflows webhook accepts with 202 and an empty body.
  teams = await Receiver.start(() => ({ status: 202, body: '' }));
});
afterEach(async () => {
  await h.close();
  await teams.close();
});

const PATH = '/workflows/a1b2c3/triggers/manual/paths/invoke?api-version=1&sig=0123456789abcdef';

describe('Microsoft Teams integration', () => {
  it('posts an Adaptive Card by default', async () => {
    await h.integrations.put('default', 'teams', { config: { webhookUrl: `${teams.url}${PATH}` } });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result.ok).toBe(true);
    const [req] = teams.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(PATH);
    expect(req?.body).toEqual({
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
              { type: 'TextBlock', text: 'Incident opened (critical)', weight: 'Bolder', color: 'attention' },
              {
                type: 'TextBlock',
                text: 'api: availability SLO is burning',
                size: 'Medium',
                weight: 'Bolder',
                wrap: true,
              },
              {
                type: 'TextBlock',
                text: '5.2% of requests failed in the last 5 minutes (objective 99.9%)',
                wrap: true,
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Project', value: 'default' },
                  { title: 'Application', value: 'default:Deployment:shop:api' },
                  { title: 'Severity', value: 'critical' },
                  { title: 'Incident', value: 'inc-42' },
                  { title: 'errors', value: '5.2%' },
                  { title: 'objective', value: '99.9%' },
                ],
              },
            ],
            actions: [
              {
                type: 'Action.OpenUrl',
                title: 'Open in Vigil',
                url: 'http://vigil.example/incidents/inc-42',
              },
            ],
          },
        },
      ],
    });
  });

  it('posts a MessageCard to a legacy connector', async () => {
    await h.integrations.put('default', 'teams', {
      config: { webhookUrl: `${teams.url}/webhookb2/abc`, format: 'message_card' },
    });
    teams.respondWith(() => ({ status: 200, body: '1' }));
    await h.dispatcher.deliver(deployment());
    expect(teams.requests[0]?.body).toEqual({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: 'Deployment: api: rolled out image api:1.4.2',
      themeColor: '1D76DB',
      title: 'Deployment: api: rolled out image api:1.4.2',
      sections: [
        {
          text: 'errors +0.1%, p95 latency -12 ms, memory +8%',
          facts: [
            { name: 'Project', value: 'default' },
            { name: 'Application', value: 'default:Deployment:shop:api' },
            { name: 'Severity', value: 'info' },
            { name: 'Deployment', value: 'dep-7' },
          ],
        },
      ],
    });
  });

  it('refuses an unknown card format', async () => {
    await expect(
      h.integrations.put('default', 'teams', {
        config: { webhookUrl: 'https://x.example/', format: 'html' },
      }),
    ).rejects.toThrow('invalid teams configuration: format: format must be adaptive_card or message_card');
  });
});
