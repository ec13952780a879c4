import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deployment,
  incidentOpened,
  incidentResolved,
  startHarness,
  type Harness,
} from '../testing/harness.ts';
import { Receiver } from '../testing/receiver.ts';

const ROUTING_KEY = 'R0123456789abcdefABCDEF012345678';

let h: Harness;
let pd: Receiver;
beforeEach(async () => {
  h = await startHarness();
  // The Events API's documented success answer.
  pd = await Receiver.start((req) => ({
    status: 202,
    body: {
      status: 'success',
      message: 'Event processed',
      dedup_key: (req.body as { dedup_key?: string }).dedup_key,
    },
  }));
  await h.integrations.put('default', 'pagerduty', {
    config: {
      routingKey: ROUTING_KEY,
      eventsUrl: `${pd.url}/v2/enqueue`,
      changeEventsUrl: `${pd.url}/v2/change/enqueue`,
    },
  });
});
afterEach(async () => {
  await h.close();
  await pd.close();
});

describe('PagerDuty integration', () => {
  it('triggers on open and resolves on resolve, with the incident id as dedup key', async () => {
    await h.dispatcher.deliver(incidentOpened());
    await h.dispatcher.deliver(incidentResolved());
    const [trigger, resolve] = pd.requests;
    expect(trigger?.path).toBe('/v2/enqueue');
    expect(trigger?.headers['content-type']).toBe('application/json');
    expect(trigger?.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'inc-42',
      payload: {
        summary: 'default:Deployment:shop:api: api: availability SLO is burning',
        source: 'default:Deployment:shop:api',
        severity: 'critical',
        timestamp: '2025-01-01T12:00:00.000Z',
        component: 'default:Deployment:shop:api',
        group: 'default',
        class: 'incident_opened',
        custom_details: {
          summary: '5.2% of requests failed in the last 5 minutes (objective 99.9%)',
          Project: 'default',
          Application: 'default:Deployment:shop:api',
          Severity: 'critical',
          Incident: 'inc-42',
          errors: '5.2%',
          objective: '99.9%',
        },
      },
      client: 'Vigil',
      client_url: 'http://vigil.example/incidents/inc-42',
      links: [{ href: 'http://vigil.example/incidents/inc-42', text: 'Open in Vigil' }],
    });
    expect(resolve?.path).toBe('/v2/enqueue');
    expect(resolve?.body).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'inc-42' });
  });

  it('sends deployments as change events, which page nobody', async () => {
    await h.dispatcher.deliver(deployment());
    expect(pd.requests.map((r) => [r.path, r.body])).toEqual([
      [
        '/v2/change/enqueue',
        {
          routing_key: ROUTING_KEY,
          payload: {
            summary: 'default:Deployment:shop:api: api: rolled out image api:1.4.2',
            source: 'default:Deployment:shop:api',
            timestamp: '2025-01-01T13:00:00.000Z',
            custom_details: {
              summary: 'errors +0.1%, p95 latency -12 ms, memory +8%',
              Project: 'default',
              Application: 'default:Deployment:shop:api',
              Severity: 'info',
              Deployment: 'dep-7',
            },
          },
          links: [],
        },
      ],
    ]);
  });

  it("records PagerDuty's refusal of an event without retrying it", async () => {
    pd.answerNext({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["Length of 'routing_key' is incorrect"],
      },
    });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({
      ok: false,
      attempts: 1,
      error:
        'HTTP 400 Bad Request: {"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}',
    });
  });

  it('refuses a routing key that is not an integration key', async () => {
    await expect(
      h.integrations.put('default', 'pagerduty', { config: { routingKey: 'short' } }),
    ).rejects.toThrow(
      'routingKey: routingKey must be the 32-character integration key of a PagerDuty Events API v2 integration',
    );
  });
});
