import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentOpened, incidentResolved, startHarness, type Harness } from '../testing/harness.ts';
import { Receiver } from '../testing/receiver.ts';

const API_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

let h: Harness;
let og: Receiver;
beforeEach(async () => {
  h = await startHarness();
  // Opsgenie's documented answer: alerts are processed asynchronously.
  og = await Receiver.start(() => ({
    status: 202,
    body: {
      result: 'Request will be processed',
      took: 0.302,
      requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
    },
  }));
  await h.integrations.put('default', 'opsgenie', { config: { apiKey: API_KEY, baseUrl: og.url } });
});
afterEach(async () => {
  await h.close();
  await og.close();
});

describe('Opsgenie integration', () => {
  it('creates an alert aliased by the incident id and closes it by alias', async () => {
    await h.dispatcher.deliver(incidentOpened({ incidentId: 'inc/42' }));
    await h.dispatcher.deliver(incidentResolved({ incidentId: 'inc/42' }));
    const [create, close] = og.requests;
    expect(create?.method).toBe('POST');
    expect(create?.path).toBe('/v2/alerts');
    expect(create?.headers.authorization).toBe(`GenieKey ${API_KEY}`);
    expect(create?.body).toEqual({
      message: 'default:Deployment:shop:api: api: availability SLO is burning',
      alias: 'inc/42',
      description:
        '5.2% of requests failed in the last 5 minutes (objective 99.9%)\n\nhttp://vigil.example/incidents/inc-42',
      priority: 'P1',
      source: 'Vigil',
      entity: 'default:Deployment:shop:api',
      tags: ['vigil', 'default', 'incident_opened'],
      details: {
        Project: 'default',
        Application: 'default:Deployment:shop:api',
        Severity: 'critical',
        Incident: 'inc/42',
        errors: '5.2%',
        objective: '99.9%',
      },
    });
    expect(close?.method).toBe('POST');
    expect(close?.path).toBe('/v2/alerts/inc%2F42/close?identifierType=alias');
    expect(close?.headers.authorization).toBe(`GenieKey ${API_KEY}`);
    expect(close?.body).toEqual({
      source: 'Vigil',
      note: 'Both burn-rate windows are back under their thresholds',
    });
  });

  it("maps warnings to P3 and cuts the message to Opsgenie's 130 characters", async () => {
    await h.dispatcher.deliver(incidentOpened({ severity: 'warning', title: 'x'.repeat(200) }));
    const sent = og.requests[0]?.body as { priority: string; message: string };
    expect(sent.priority).toBe('P3');
    expect(sent.message).toHaveLength(130);
    expect(sent.message.endsWith('…')).toBe(true);
  });

  it('defaults to the US instance and refuses an unknown region', async () => {
    await h.integrations.put('default', 'opsgenie', { config: { apiKey: API_KEY, region: 'eu' } });
    expect((await h.integrations.get('default', 'opsgenie')).config).toEqual({
      apiKey: '••••c889',
      region: 'eu',
    });
    await expect(
      h.integrations.put('default', 'opsgenie', { config: { apiKey: API_KEY, region: 'apac' } }),
    ).rejects.toThrow('invalid opsgenie configuration: region: region must be us or eu');
  });
});
