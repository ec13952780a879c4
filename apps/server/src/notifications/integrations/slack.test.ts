import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentOpened, incidentResolved, startHarness, type Harness } from '../testing/harness.ts';
import { Receiver, type ReceivedRequest } from '../testing/receiver.ts';

const TOKEN = 'xoxb-1111-2222-abcdefghijklmnop';
const OPEN_TS = '1735732800.000100';

let h: Harness;
let slack: Receiver;
let messages = 0;
beforeEach(async () => {
  h = await startHarness();
  messages = 0;
  // chat.postMessage's documented success answer: the channel id and the message's ts.
  slack = await Receiver.start((req) => {
    if (req.path !== '/api/chat.postMessage') return { status: 404, body: 'Not Found' };
    const ts = messages++ === 0 ? OPEN_TS : `1735734000.00020${messages}`;
    return { status: 200, body: { ok: true, channel: 'C024BE91L', ts, message: { type: 'message', ts } } };
  });
});
afterEach(async () => {
  await h.close();
  await slack.close();
});

const body = (req: ReceivedRequest | undefined): Record<string, unknown> =>
  req?.body as Record<string, unknown>;

describe('Slack integration', () => {
  it('posts a message with a coloured attachment to an incoming webhook', async () => {
    await h.integrations.put('default', 'slack', {
      config: { webhookUrl: `${slack.url}/services/T000/B000/XXXXXXXXXXXXXXXX` },
    });
    slack.respondWith(() => ({ status: 200, body: 'ok' }));
    const reports = await h.dispatcher.deliver(incidentOpened({ title: 'api: 5xx > 5% <b>' }));
    expect(reports[0]?.result).toEqual({ ok: true, attempts: 1 });
    const [req] = slack.requests;
    expect(req?.path).toBe('/services/T000/B000/XXXXXXXXXXXXXXXX');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.body).toEqual({
      text: 'Incident opened (critical): api: 5xx &gt; 5% &lt;b&gt;',
      attachments: [
        {
          color: '#d93f0b',
          title: 'api: 5xx > 5% <b>',
          title_link: 'http://vigil.example/incidents/inc-42',
          text: '5.2% of requests failed in the last 5 minutes (objective 99.9%)',
          fields: [
            { title: 'Project', value: 'default', short: true },
            { title: 'Application', value: 'default:Deployment:shop:api', short: true },
            { title: 'Severity', value: 'critical', short: true },
            { title: 'Incident', value: 'inc-42', short: true },
            { title: 'errors', value: '5.2%', short: true },
            { title: 'objective', value: '99.9%', short: true },
          ],
          footer: 'Vigil',
          ts: Date.UTC(2025, 0, 1, 12) / 1000,
        },
      ],
    });
  });

  it('with a bot token, replies to the incident opening in its thread when it resolves', async () => {
    await h.integrations.put('default', 'slack', {
      config: { botToken: TOKEN, channel: '#ops', apiUrl: `${slack.url}/api` },
    });
    await h.dispatcher.deliver(incidentOpened());
    expect(await h.db.getIntegrationThread('default', 'slack', 'inc-42')).toBe(
      JSON.stringify({ channel: 'C024BE91L', ts: OPEN_TS }),
    );
    await h.dispatcher.deliver(incidentResolved());

    const [open, resolve] = slack.requests;
    for (const req of [open, resolve]) {
      expect(req?.method).toBe('POST');
      expect(req?.path).toBe('/api/chat.postMessage');
      expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req?.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(body(open)).toMatchObject({
      channel: '#ops',
      text: 'Incident opened (critical): api: availability SLO is burning',
    });
    expect(body(open).thread_ts).toBeUndefined();
    // The reply goes to the channel id Slack answered with, in the opening message's thread.
    expect(body(resolve)).toMatchObject({
      channel: 'C024BE91L',
      thread_ts: OPEN_TS,
      text: 'Incident resolved: api: availability SLO is burning',
      attachments: [{ color: '#2da44e', text: 'Both burn-rate windows are back under their thresholds' }],
    });
    // The thread is done with once resolved.
    expect(await h.db.getIntegrationThread('default', 'slack', 'inc-42')).toBeNull();
  });

  it('keeps each incident in its own thread when incidents overlap', async () => {
    await h.integrations.put('default', 'slack', {
      config: { botToken: TOKEN, channel: '#ops', apiUrl: `${slack.url}/api` },
    });
    await h.dispatcher.deliver(incidentOpened({ incidentId: 'inc-1' }));
    await h.dispatcher.deliver(incidentOpened({ incidentId: 'inc-2' }));
    await h.dispatcher.deliver(incidentResolved({ incidentId: 'inc-2' }));
    await h.dispatcher.deliver(incidentResolved({ incidentId: 'inc-1' }));
    // The receiver answers the second message with ts …000202.
    expect(slack.requests.map((r) => body(r).thread_ts)).toEqual([
      undefined,
      undefined,
      '1735734000.000202',
      OPEN_TS,
    ]);
  });

  it('records the error Slack puts in a 200 answer, and does not retry a bad token', async () => {
    await h.integrations.put('default', 'slack', {
      config: { botToken: TOKEN, channel: '#nowhere', apiUrl: `${slack.url}/api` },
    });
    slack.respondWith(() => ({ status: 200, body: { ok: false, error: 'channel_not_found' } }));
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({
      ok: false,
      attempts: 1,
      error: 'Slack chat.postMessage failed: channel_not_found',
    });
    expect((await h.integrations.get('default', 'slack')).lastError?.message).toBe(
      'Slack chat.postMessage failed: channel_not_found',
    );
  });

  it.each([
    [{}, 'set webhookUrl (incoming webhook) or botToken and channel'],
    [{ botToken: TOKEN }, 'channel: a bot token needs a channel to post to'],
    [{ botToken: 'not-a-token', channel: '#ops' }, 'botToken: botToken must be a Slack token (xoxb-…)'],
    [
      { webhookUrl: 'http://x/y', botToken: TOKEN, channel: '#c' },
      'set either webhookUrl or botToken, not both',
    ],
  ])('refuses the config %j', async (config, message) => {
    await expect(h.integrations.put('default', 'slack', { config })).rejects.toThrow(message);
  });
});
