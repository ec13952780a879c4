import { z } from 'zod';
import { failed, ok, retryable, type Outcome } from '@vigil/core';
import { facts, headline, type NotificationEvent } from '../event.ts';
import { classify, excerpt, isNoAnswer } from '../http-client.ts';
import { defineIntegration, httpUrl, joinUrl, secretString, type SendContext } from './definition.ts';

const DEFAULT_API_URL = 'https://slack.com/api';

const schema = z
  .strictObject({
    /** Secret: the URL is the credential of an incoming webhook. */
    webhookUrl: httpUrl('webhookUrl').optional(),
    /** Secret. */
    botToken: secretString('botToken')
      .regex(/^xox[a-z]-/, { error: 'botToken must be a Slack token (xoxb-…)' })
      .optional(),
    channel: z
      .string({ error: 'channel must be a string' })
      .min(1, { error: 'channel must not be empty' })
      .max(80, { error: 'channel must be at most 80 characters' })
      .optional(),
    /** Slack's Web API base, for chat.postMessage; changed only for tests and proxies. */
    apiUrl: httpUrl('apiUrl').default(DEFAULT_API_URL),
  })
  .superRefine((config, ctx) => {
    const bot = config.botToken !== undefined;
    if (config.webhookUrl !== undefined && bot) {
      ctx.addIssue({ code: 'custom', message: 'set either webhookUrl or botToken, not both' });
    } else if (config.webhookUrl === undefined && !bot) {
      ctx.addIssue({ code: 'custom', message: 'set webhookUrl (incoming webhook) or botToken and channel' });
    } else if (bot && config.channel === undefined) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'a bot token needs a channel to post to' });
    }
  });

type SlackConfig = z.infer<typeof schema>;

const COLORS: Record<string, string> = {
  critical: '#d93f0b',
  warning: '#fbca04',
  info: '#1d76db',
  resolved: '#2da44e',
};

/** Slack's mrkdwn treats &, < and > as markup. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The message: a plain `text` (notifications, screen readers) and a coloured attachment. */
export function slackMessage(event: NotificationEvent): Record<string, unknown> {
  const color = event.kind === 'incident_resolved' ? COLORS.resolved : COLORS[event.severity];
  return {
    text: `${headline(event)}: ${escape(event.title)}`,
    attachments: [
      {
        color,
        title: event.title,
        ...(event.url === undefined ? {} : { title_link: event.url }),
        text: escape(event.summary),
        fields: facts(event).map(([title, value]) => ({ title, value: escape(value), short: true })),
        footer: 'Vigil',
        ts: Math.floor(event.atMs / 1000),
      },
    ],
  };
}

/** Where an incident's opening message went: its thread is where the resolve is posted. */
interface ThreadRef {
  channel: string;
  ts: string;
}

function parseRef(text: string | null): ThreadRef | undefined {
  if (text === null) return undefined;
  const ref = JSON.parse(text) as Partial<ThreadRef>;
  return typeof ref.channel === 'string' && typeof ref.ts === 'string'
    ? { channel: ref.channel, ts: ref.ts }
    : undefined;
}

/**
 * chat.postMessage answers 200 with `{ ok: false, error }` for most failures (bad token, unknown
 * channel), so the body decides; rate limiting comes as 429 with Retry-After.
 */
async function postMessage(
  config: SlackConfig & { botToken: string },
  message: Record<string, unknown>,
  ctx: SendContext,
): Promise<{ outcome: Outcome; ref?: ThreadRef }> {
  const answer = await ctx.http({
    url: joinUrl(config.apiUrl, 'chat.postMessage'),
    headers: {
      authorization: `Bearer ${config.botToken}`,
      'content-type': 'application/json; charset=utf-8',
    },
    body: message,
  });
  const outcome = classify(answer);
  if (outcome.kind !== 'ok' || isNoAnswer(answer)) return { outcome };
  let reply: { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown };
  try {
    reply = JSON.parse(answer.text) as typeof reply;
  } catch {
    return {
      outcome: failed(new Error(`Slack answered with something other than JSON: ${excerpt(answer.text)}`)),
    };
  }
  if (reply.ok !== true) {
    const error = new Error(`Slack chat.postMessage failed: ${String(reply.error ?? 'unknown error')}`);
    return { outcome: reply.error === 'ratelimited' ? retryable(error) : failed(error) };
  }
  const ref =
    typeof reply.ts === 'string' && typeof reply.channel === 'string'
      ? { channel: reply.channel, ts: reply.ts }
      : undefined;
  return { outcome: ok, ...(ref === undefined ? {} : { ref }) };
}

/**
 * Slack by incoming webhook (one message per event) or by bot token. With a bot token an
 * incident's opening message is remembered (channel and `ts`) and its resolution is posted as a
 * reply in that thread, so a channel shows one thread per incident.
 */
export const slackIntegration = defineIntegration({
  type: 'slack',
  schema,
  secretKeys: ['webhookUrl', 'botToken'],
  async send(config, event, ctx) {
    const message = slackMessage(event);
    if (config.botToken === undefined) {
      return classify(await ctx.http({ url: config.webhookUrl ?? '', body: message }));
    }
    const bot = { ...config, botToken: config.botToken };
    const incidentId = event.incidentId;
    const thread =
      event.kind === 'incident_resolved' && incidentId !== undefined
        ? parseRef(await ctx.threads.get(incidentId))
        : undefined;
    const target =
      thread === undefined ? { channel: config.channel } : { channel: thread.channel, thread_ts: thread.ts };
    const { outcome, ref } = await postMessage(bot, { ...target, ...message }, ctx);
    if (outcome.kind !== 'ok' || incidentId === undefined) return outcome;
    // The message is out; failing to remember its thread must not send it again.
    try {
      if (event.kind === 'incident_opened' && ref !== undefined)
        await ctx.threads.set(incidentId, JSON.stringify(ref));
      if (event.kind === 'incident_resolved' && thread !== undefined) await ctx.threads.delete(incidentId);
    } catch (err) {
      ctx.logger.warn({ err, incidentId }, 'slack: could not save the incident thread');
    }
    return outcome;
  },
});
