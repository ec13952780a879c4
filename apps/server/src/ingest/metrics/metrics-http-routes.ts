import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Logger } from '@vigil/core';
import {
  SnappyDecompressor,
  looksLikeSnappyBlock,
  remoteWriteVersionFromContentType,
  remoteWriteWrittenHeaders,
  type RemoteWriteVersion,
} from '@vigil/protocols';
import { API_KEY_HEADER, ingestKeyFromHeaders, type IngestAuth } from '../../auth/ingest-auth.ts';
import { mapError } from '../../http/error-mapping.ts';
import { partialSuccessBody, statusBody, successBody } from '../otlp-responses.ts';
import { acceptRawBodies, decompressBody, payloadFormat, type PayloadFormat } from '../request-body.ts';
import type { MetricsIngestor, MetricsIngestResult } from './metrics-ingestor.ts';

export interface MetricsHttpDeps {
  ingestor: MetricsIngestor;
  auth: IngestAuth;
  maxRequestBytes: number;
  maxDecompressedBytes: number;
  logger: Logger;
  /**
   * :8080 serves Prometheus remote write (`/api/v1/write`, and `/v1/metrics` when the body is
   * remote write); :4318 serves OTLP only.
   */
  remoteWrite: boolean;
}

type Kind =
  { protocol: 'remote_write'; version: RemoteWriteVersion } | { protocol: 'otlp'; format: PayloadFormat };

const OTLP_CONTENT_TYPE: Record<PayloadFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function remoteWriteVersion(req: FastifyRequest): RemoteWriteVersion {
  const version = remoteWriteVersionFromContentType(header(req, 'content-type'));
  if (typeof version === 'object') throw new AppError('unsupported_media_type', version.error);
  return version;
}

/**
 * `/v1/metrics` on :8080 is remote write when the client says so (snappy Content-Encoding or the
 * X-Prometheus-Remote-Write-Version header) or, with neither, when the body is a well-formed
 * snappy block; everything else there, and everything on :4318, is OTLP.
 */
function classify(req: FastifyRequest, raw: Buffer, remoteWrite: boolean): Kind {
  if (remoteWrite) {
    const encoding = (header(req, 'content-encoding') ?? '').trim().toLowerCase();
    if (
      encoding === 'snappy' ||
      header(req, 'x-prometheus-remote-write-version') !== undefined ||
      ((encoding === '' || encoding === 'identity') && looksLikeSnappyBlock(raw))
    ) {
      return { protocol: 'remote_write', version: remoteWriteVersion(req) };
    }
  }
  return { protocol: 'otlp', format: payloadFormat(header(req, 'content-type')) };
}

function sendRemoteWriteResult(
  reply: FastifyReply,
  result: MetricsIngestResult,
  version: RemoteWriteVersion,
) {
  if (version === '2.0') {
    reply.headers(remoteWriteWrittenHeaders({ samples: result.samplesWritten, histograms: 0, exemplars: 0 }));
  }
  // Prometheus's own receiver stores what it can and answers 400 naming what it could not; a
  // sender does not retry a 400, so the good samples are not sent twice.
  if (result.message !== undefined) return reply.code(400).type('text/plain').send(result.message);
  return reply.code(204).send();
}

/**
 * Metrics ingestion over HTTP: OTLP `/v1/metrics` (protobuf and JSON, partial success) and, on
 * :8080, Prometheus remote write 1.0/2.0 at `/api/v1/write` and `/v1/metrics`.
 */
export async function metricsHttpRoutes(app: FastifyInstance, deps: MetricsHttpDeps): Promise<void> {
  acceptRawBodies(app, deps.maxRequestBytes);
  app.setErrorHandler((err, req, reply) => {
    const mapped = mapError(err);
    if (mapped.httpStatus >= 500) deps.logger.error({ err, url: req.url }, 'metrics request failed');
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
    const kind = (req as { metricsKind?: Kind }).metricsKind;
    reply.code(mapped.httpStatus);
    if (kind?.protocol === 'otlp') {
      return reply
        .type(OTLP_CONTENT_TYPE[kind.format])
        .send(statusBody(kind.format, mapped.grpcStatus, mapped.message));
    }
    if (kind?.protocol === 'remote_write' && kind.version === '2.0') {
      reply.headers(remoteWriteWrittenHeaders({ samples: 0, histograms: 0, exemplars: 0 }));
    }
    return reply.type('text/plain').send(mapped.message);
  });

  const project = (req: FastifyRequest) =>
    deps.auth.projectFor(ingestKeyFromHeaders(req.headers), API_KEY_HEADER);
  const rawBody = (req: FastifyRequest) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  // One buffer for every remote write body: each is decompressed right before it is decoded.
  const snappy = new SnappyDecompressor();
  const remoteWrite = async (req: FastifyRequest, reply: FastifyReply, version: RemoteWriteVersion) => {
    const projectId = await project(req);
    const raw = rawBody(req);
    const result = await deps.ingestor.ingestRemoteWrite(projectId, version, () =>
      snappy.decompress(raw, deps.maxDecompressedBytes),
    );
    return sendRemoteWriteResult(reply, result, version);
  };

  const otlp = async (req: FastifyRequest, reply: FastifyReply, format: PayloadFormat) => {
    const projectId = await project(req);
    const body = await decompressBody(
      rawBody(req),
      header(req, 'content-encoding'),
      deps.maxDecompressedBytes,
    );
    const result = await deps.ingestor.ingestOtlp(projectId, format, body, 'http');
    reply.code(200).type(OTLP_CONTENT_TYPE[format]);
    if (result.message === undefined) return reply.send(successBody(format));
    return reply.send(partialSuccessBody(format, 'rejectedDataPoints', result.rejected, result.message));
  };

  app.post('/v1/metrics', async (req, reply) => {
    const kind = classify(req, rawBody(req), deps.remoteWrite);
    (req as { metricsKind?: Kind }).metricsKind = kind;
    return kind.protocol === 'remote_write'
      ? remoteWrite(req, reply, kind.version)
      : otlp(req, reply, kind.format);
  });

  if (deps.remoteWrite) {
    app.post('/api/v1/write', async (req, reply) => {
      const kind: Kind = { protocol: 'remote_write', version: '1.0' };
      (req as { metricsKind?: Kind }).metricsKind = kind;
      kind.version = remoteWriteVersion(req);
      const encoding = (header(req, 'content-encoding') ?? 'snappy').trim().toLowerCase();
      if (encoding !== 'snappy') {
        throw new AppError(
          'unsupported_media_type',
          `unsupported Content-Encoding "${encoding}": remote write bodies are snappy-compressed`,
        );
      }
      return remoteWrite(req, reply, kind.version);
    });
  }
}
