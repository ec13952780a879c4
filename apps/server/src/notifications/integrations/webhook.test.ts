import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, incidentOpened, startHarness, type Harness } from '../testing/harness.ts';
import { Receiver } from '../testing/receiver.ts';

let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  h = await startHarness();
  receiver = await Receiver.start(() => ({ status: 204 }));
});
afterEach(async () => {
  await h.close();
  await receiver.close();
});

describe('webhook integration', () => {
  it('posts the documented default JSON body with custom headers and basic auth', async () => {
    await h.integrations.put('default', 'webhook', {
      config: {
        url: `${receiver.url}/hooks/vigil?src=1`,
        headers: { 'X-Vigil-Token': 'tok-0123456789abcdef' },
        username: 'vigil',
        password: 'p@ss:word',
      },
    });
    const reports = await h.dispatcher.deliver(incidentOpened());
    expect(reports).toEqual([{ type: 'webhook', result: { ok: true, attempts: 1 } }]);

    const [req] = receiver.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/hooks/vigil?src=1');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-vigil-token']).toBe('tok-0123456789abcdef');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('vigil:p@ss:word').toString('base64')}`);
    expect(req?.headers['user-agent']).toMatch(/^Vigil\//);
    expect(req?.body).toEqual({
      version: 1,
      kind: 'incident_opened',
      project: 'default',
      applicationId: 'default:Deployment:shop:api',
      title: 'api: availability SLO is burning',
      summary: '5.2% of requests failed in the last 5 minutes (objective 99.9%)',
      severity: 'critical',
      atMs: Date.UTC(2025, 0, 1, 12),
      at: '2025-01-01T12:00:00.000Z',
      incidentId: 'inc-42',
      url: 'http://vigil.example/incidents/inc-42',
      details: { errors: '5.2%', objective: '99.9%' },
    });
  });

  it('renders a user template, with PUT and a configured content type', async () => {
    await h.integrations.put('default', 'webhook', {
      config: {
        url: `${receiver.url}/custom`,
        method: 'PUT',
        headers: { 'Content-Type': 'application/vnd.alerts+json' },
        template: {
          text: '[{{severity}}] {{title}} ({{details.objective}})',
          when: '{{atMs}}',
          facts: '{{details}}',
          deploy: '{{deploymentId}}',
          tags: ['vigil', '{{project}}'],
        },
      },
    });
    await h.dispatcher.deliver(incidentOpened());
    const [req] = receiver.requests;
    expect(req?.method).toBe('PUT');
    expect(req?.headers['content-type']).toBe('application/vnd.alerts+json');
    expect(req?.body).toEqual({
      text: '[critical] api: availability SLO is burning (99.9%)',
      when: Date.UTC(2025, 0, 1, 12),
      facts: { errors: '5.2%', objective: '99.9%' },
      deploy: null,
      tags: ['vigil', 'default'],
    });
  });

  it('sends deployments only when subscribed to them', async () => {
    await h.integrations.put('default', 'webhook', { deployments: false, config: { url: receiver.url } });
    expect(await h.dispatcher.deliver(deployment())).toEqual([]);
    await h.integrations.put('default', 'webhook', { deployments: true });
    await h.dispatcher.deliver(deployment());
    expect(receiver.requests.map((r) => (r.body as { kind: string }).kind)).toEqual(['deployment']);
  });

  it.each([
    [
      { url: 'ftp://example.com' },
      'invalid webhook configuration: url: url must be an http:// or https:// URL',
    ],
    [
      { url: 'http://x', username: 'u' },
      'invalid webhook configuration: basic auth needs both username and password',
    ],
    [
      { url: 'http://x', template: { text: '{{titel}}' } },
      'invalid webhook configuration: template: unknown placeholder {{titel}}; known fields: kind, project, applicationId, title, summary, severity, atMs, at, incidentId, deploymentId, url, details, details.<key>',
    ],
    [
      { url: 'http://x', headers: { 'Bad Header': 'v' } },
      'headers.Bad Header: a header name must be an HTTP token',
    ],
    [{ url: 'http://x', headers: { Host: 'v' } }, 'headers.Host: this header is set by the HTTP client'],
    [{ url: 'http://x', method: 'GET' }, 'method: method must be POST or PUT'],
    [{ url: 'http://x', retries: 3 }, 'Unrecognized key: "retries"'],
  ])('refuses the config %j with a message saying what is wrong', async (config, message) => {
    await expect(h.integrations.put('default', 'webhook', { config })).rejects.toThrow(message);
  });
});
