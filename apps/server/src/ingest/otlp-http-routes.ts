import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@vigil/core';
import { API_KEY_HEADER, ingestKeyFromHeaders, type IngestAuth } from '../auth/ingest-auth.ts';
import { mapError } from '../http/error-mapping.ts';
import type { OtlpIngestor, Signal } from './otlp-ingestor.ts';
import { successBody, statusBody } from './otlp-responses.ts';
import { acceptRawBodies, decompressBody, payloadFormat, type PayloadFormat } from './request-body.ts';

export interface OtlpHttpDeps {
  ingestor: OtlpIngestor;
  auth: IngestAuth;
  maxRequestBytes: number;
  maxDecompressedBytes: number;
  logger: Logger;
}

function responseFormat(contentType: string | undefined): PayloadFormat {
  try {
    return payloadFormat(contentType);
  } catch {
    return 'json';
  }
}

const CONTENT_TYPE: Record<PayloadFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown, logger: Logger): FastifyReply {
  const mapped = mapError(err);
  const format = responseFormat(req.headers['content-type']);
  if (mapped.httpStatus >= 500) logger.error({ err, url: req.url }, 'OTLP request failed');
  else
    logger.debug({ status: mapped.httpStatus, msg: mapped.message, url: req.url }, 'OTLP request rejected');
  if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
  return reply
    .code(mapped.httpStatus)
    .type(CONTENT_TYPE[format])
    .send(statusBody(format, mapped.grpcStatus, mapped.message));
}

/**
 * OTLP/HTTP `POST /v1/traces` and `POST /v1/logs`, served on :4318 and, Coroot-compatible, on
 * :8080. Registered as an encapsulated plugin so its raw-body parsing does not leak into the JSON
 * API. Bodies are read as bytes, then decompressed and decoded by us, so every failure gets an
 * OTLP Status answer in the request's own encoding.
 */
export async function otlpHttpRoutes(app: FastifyInstance, deps: OtlpHttpDeps): Promise<void> {
  acceptRawBodies(app, deps.maxRequestBytes);
  app.setErrorHandler((err, req, reply) => sendError(req, reply, err, deps.logger));

  const handler = (signal: Signal) => async (req: FastifyRequest, reply: FastifyReply) => {
    const projectId = await deps.auth.projectFor(ingestKeyFromHeaders(req.headers), API_KEY_HEADER);
    const format = payloadFormat(req.headers['content-type']);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = await decompressBody(raw, req.headers['content-encoding'], deps.maxDecompressedBytes);
    await deps.ingestor.ingest(projectId, signal, format, body, 'http');
    return reply.code(200).type(CONTENT_TYPE[format]).send(successBody(format));
  };

  app.post('/v1/traces', handler('traces'));
  app.post('/v1/logs', handler('logs'));
}
