import { z } from 'zod';
import { classify } from '../http-client.ts';
import {
  defaultWebhookBody,
  renderTemplate,
  TEMPLATE_FIELDS,
  unknownPlaceholders,
  type JsonValue,
} from '../template.ts';
import { defineIntegration, httpUrl, secretString } from './definition.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
// Set by the HTTP client or by fetch itself; a user value would break the request.
const RESERVED_HEADERS = new Set(['content-length', 'host', 'transfer-encoding', 'connection']);

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const schema = z
  .strictObject({
    url: httpUrl('url'),
    method: z.enum(['POST', 'PUT'], { error: 'method must be POST or PUT' }).default('POST'),
    /** Secret: values often carry tokens. */
    headers: z
      .record(z.string(), secretString('a header value', 4096), {
        error: 'headers must be an object of header names to values',
      })
      .optional(),
    username: z
      .string({ error: 'username must be a string' })
      .min(1, { error: 'username must not be empty' })
      .regex(/^[^:]*$/, { error: 'username must not contain ":" (basic auth)' })
      .optional(),
    /** Secret. */
    password: secretString('password').optional(),
    template: z
      .union([z.record(z.string(), jsonValue), z.array(jsonValue)], {
        error: 'template must be a JSON object or array whose strings may hold {{field}} placeholders',
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if ((config.username === undefined) !== (config.password === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'basic auth needs both username and password' });
    }
    for (const name of Object.keys(config.headers ?? {})) {
      if (!TOKEN.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: "a header name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)",
        });
      }
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: 'this header is set by the HTTP client',
        });
      }
      if (lower === 'authorization' && config.username !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: 'an Authorization header and basic auth (username/password) exclude each other',
        });
      }
    }
    const unknown = config.template === undefined ? [] : unknownPlaceholders(config.template);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['template'],
        message: `unknown placeholder ${unknown.map((f) => `{{${f}}}`).join(', ')}; known fields: ${TEMPLATE_FIELDS.join(', ')}, details.<key>`,
      });
    }
  });

/**
 * Generic webhook: one JSON request per event. Without a template the body is
 * {@link defaultWebhookBody} (`version`, `kind`, `project`, `applicationId`, `title`,
 * `summary`, `severity`, `atMs`, `at`, and `incidentId`, `deploymentId`, `url`, `details` when
 * set); with one, the template rendered by {@link renderTemplate}.
 */
export const webhookIntegration = defineIntegration({
  type: 'webhook',
  schema,
  secretKeys: ['headers', 'password'],
  async send(config, event, ctx) {
    const headers: Record<string, string> = { ...config.headers };
    if (config.username !== undefined && config.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    }
    const body =
      config.template === undefined ? defaultWebhookBody(event) : renderTemplate(config.template, event);
    return classify(await ctx.http({ method: config.method, url: config.url, headers, body }));
  },
});
