/**
 * Profile ingestion over HTTP on :8080:
 *
 * - `POST /v1/profiles?service.name=<app>&container.id=…&host.name=…` — Coroot's agents: a pprof
 *   body (gzip or plain; Content-Encoding honoured too); every query parameter but
 *   `service.name` becomes a label; every sample type of the profile is stored.
 * - `POST /ingest?name=<app>.<kind>{labels}&from=&until=&format=folded|pprof` — Pyroscope's
 *   ingestion API: folded text, or pprof as the body or as the `profile` field of a form.
 *
 * Both authenticate with the ingestion key like the OTLP endpoints. Errors are JSON
 * `{ error: { code, message } }`, 400 for a body that is not a profile.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Logger } from '@vigil/core';
import { decodePprof, parseFolded, type DecodedProfile } from '@vigil/protocols';
import { API_KEY_HEADER, ingestKeyFromHeaders, type IngestAuth } from '../auth/ingest-auth.ts';
import { mapError } from '../http/error-mapping.ts';
import type { ProfilesIngestor } from './profiles-ingestor.ts';
import { multipartBoundary, multipartField } from './profiles-multipart.ts';
import { parsePyroscopeParams } from './profiles-pyroscope-params.ts';
import { acceptRawBodies, decompressBody } from './request-body.ts';

export interface ProfilesHttpDeps {
  ingestor: ProfilesIngestor;
  auth: IngestAuth;
  maxRequestBytes: number;
  maxDecompressedBytes: number;
  logger: Logger;
}

type RawQuery = Record<string, string | string[] | undefined>;

const SERVICE_PARAM = 'service.name';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `service.name` and the other parameters as labels (Coroot's agents send each once). */
function corootParams(query: RawQuery): { service: string; labels: Record<string, string> } {
  const labels: Record<string, string> = {};
  let service: string | undefined;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) throw new AppError('bad_request', `parameter "${key}" is given more than once`);
    if (key === SERVICE_PARAM) service = value;
    else labels[key] = value;
  }
  if (service === undefined) {
    throw new AppError(
      'bad_request',
      `missing query parameter "${SERVICE_PARAM}": POST /v1/profiles?${SERVICE_PARAM}=<application>&…`,
    );
  }
  return { service, labels };
}

export async function profilesHttpRoutes(app: FastifyInstance, deps: ProfilesHttpDeps): Promise<void> {
  acceptRawBodies(app, deps.maxRequestBytes);
  app.setErrorHandler((err, req, reply) => {
    const mapped = mapError(err);
    if (mapped.httpStatus >= 500) deps.logger.error({ err, url: req.url }, 'profile request failed');
    else deps.logger.debug({ status: mapped.httpStatus, msg: mapped.message }, 'profile request rejected');
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
    return reply.code(mapped.httpStatus).send({ error: { code: mapped.code, message: mapped.message } });
  });

  const project = (req: FastifyRequest) =>
    deps.auth.projectFor(ingestKeyFromHeaders(req.headers), API_KEY_HEADER);
  const body = (req: FastifyRequest) =>
    decompressBody(
      Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      header(req, 'content-encoding'),
      deps.maxDecompressedBytes,
    );
  const pprof = (bytes: Uint8Array) => (): DecodedProfile =>
    decodePprof(bytes, { maxDecompressedBytes: deps.maxDecompressedBytes });

  app.post('/v1/profiles', async (req: FastifyRequest, reply: FastifyReply) => {
    const projectId = await project(req);
    const { service, labels } = corootParams(req.query as RawQuery);
    const bytes = await body(req);
    await deps.ingestor.ingest(projectId, { service, labels }, pprof(bytes), 'pprof');
    return reply.code(200).send();
  });

  app.post('/ingest', async (req: FastifyRequest, reply: FastifyReply) => {
    const projectId = await project(req);
    const params = parsePyroscopeParams(req.query as RawQuery);
    let bytes: Buffer = await body(req);
    const request = {
      service: params.service,
      labels: params.labels,
      ...(params.startUnixNano !== undefined ? { startUnixNano: params.startUnixNano } : {}),
      ...(params.endUnixNano !== undefined ? { endUnixNano: params.endUnixNano } : {}),
    };
    if (params.format === 'pprof') {
      const boundary = multipartBoundary(header(req, 'content-type'));
      if (boundary !== undefined) {
        const field = multipartField(bytes, boundary, 'profile');
        if (field === undefined)
          throw new AppError('bad_request', 'the form has no "profile" field with the pprof data');
        bytes = field;
      }
      await deps.ingestor.ingest(projectId, request, pprof(bytes), 'pyroscope');
    } else {
      const type = `${params.kind}:${params.units}`;
      await deps.ingestor.ingest(
        projectId,
        request,
        () => parseFolded(bytes.toString('utf8'), type),
        'pyroscope',
      );
    }
    return reply.code(200).send();
  });
}
