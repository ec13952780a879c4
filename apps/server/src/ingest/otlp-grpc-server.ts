import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import type { Logger } from '@vigil/core';
import type { IngestAuth } from '../auth/ingest-auth.ts';
import type { ListenAddress } from '../config/index.ts';
import { mapError } from '../http/error-mapping.ts';
import type { MetricsIngestor } from './metrics/metrics-ingestor.ts';
import type { OtlpIngestor, Signal } from './otlp-ingestor.ts';
import { partialSuccessBody } from './otlp-responses.ts';

const EMPTY = Buffer.alloc(0);
const identity = (b: Buffer): Buffer => b;

/**
 * A unary OTLP Export method whose request stays raw bytes: grpc-js hands us the (already
 * decompressed) message and our own decoder reads it, so no generated protobuf classes are needed.
 * The Export*ServiceResponse is empty on full success, which encodes as zero bytes.
 */
function exportService(service: string): ServiceDefinition {
  return {
    Export: {
      path: `/opentelemetry.proto.collector.${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

export interface OtlpGrpcDeps {
  ingestor: OtlpIngestor;
  metricsIngestor: MetricsIngestor;
  auth: IngestAuth;
  maxDecompressedBytes: number;
  logger: Logger;
}

/** OTLP/gRPC on :4317: Trace, Logs and MetricsService/Export, gzip accepted. */
export class OtlpGrpcServer {
  private readonly server: Server;
  private boundPort = 0;

  constructor(private readonly deps: OtlpGrpcDeps) {
    this.server = new Server({
      'grpc.max_receive_message_length': deps.maxDecompressedBytes,
    });
    this.server.addService(exportService('trace.v1.TraceService'), { Export: this.handler('traces') });
    this.server.addService(exportService('logs.v1.LogsService'), { Export: this.handler('logs') });
    this.server.addService(exportService('metrics.v1.MetricsService'), { Export: this.metricsHandler() });
  }

  get port(): number {
    return this.boundPort;
  }

  private project(call: ServerUnaryCall<Buffer, Buffer>): Promise<string> {
    const key = call.metadata.get('x-api-key')[0];
    return this.deps.auth.projectFor(
      typeof key === 'string' ? key : key?.toString('utf8'),
      'x-api-key metadata',
    );
  }

  private fail(callback: sendUnaryData<Buffer>, err: unknown): void {
    const mapped = mapError(err);
    if (mapped.grpcStatus === GrpcStatus.INTERNAL) this.deps.logger.error({ err }, 'OTLP gRPC export failed');
    callback({ code: mapped.grpcStatus, details: mapped.message });
  }

  /** Metrics may be kept in part: the response then carries `partial_success`. */
  private metricsHandler() {
    return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      this.project(call)
        .then((projectId) =>
          this.deps.metricsIngestor.ingestOtlp(projectId, 'protobuf', call.request, 'grpc'),
        )
        .then(
          (result) =>
            callback(
              null,
              result.message === undefined
                ? EMPTY
                : (partialSuccessBody(
                    'protobuf',
                    'rejectedDataPoints',
                    result.rejected,
                    result.message,
                  ) as Buffer),
            ),
          (err: unknown) => this.fail(callback, err),
        );
    };
  }

  private handler(signal: Signal) {
    return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      this.project(call)
        .then((projectId) => this.deps.ingestor.ingest(projectId, signal, 'protobuf', call.request, 'grpc'))
        .then(
          () => callback(null, EMPTY),
          (err: unknown) => this.fail(callback, err),
        );
    };
  }

  async listen(addr: ListenAddress): Promise<number> {
    const host = addr.host === '' ? '0.0.0.0' : addr.host.includes(':') ? `[${addr.host}]` : addr.host;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(`${host}:${addr.port}`, ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
    return this.boundPort;
  }

  /** Stops accepting calls and waits for running ones (bounded by `timeoutMs`). */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, timeoutMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
