import { AppError } from '@vigil/core';
import {
  decodeMetricsJson,
  decodeMetricsProtobuf,
  decodeRemoteWrite1,
  decodeRemoteWrite2,
  rejectionMessage as otlpRejectionMessage,
  type MetricMetadata,
  type MetricSeries,
  type MetricsBatch,
  type RemoteWriteVersion,
  type ResolvedSamples,
  type SeriesRefs,
} from '@vigil/protocols';
import type { MetricsChunk } from '@vigil/storage';
import type { SelfMetrics } from '../../observability/self-metrics.ts';
import type { PayloadFormat } from '../request-body.ts';
import type { Transport } from '../otlp-ingestor.ts';
import { validateSeries, validationMessage, type SeriesLimits } from './series-validation.ts';

/** What the ingestor needs of a project's metrics pipeline (ProjectTelemetry provides it). */
export interface MetricsPipeline {
  readonly metricBuffer: {
    readonly canAcceptOrPark: boolean;
    offerWithin(items: MetricsChunk[], waitMs: number): Promise<boolean>;
  };
  /**
   * The store's known series by the hash of their encoded labels: remote write 1.0 requests
   * are decoded against it, so known series skip label decoding and validation. Unset in
   * external backend mode, which forwards labels.
   */
  readonly seriesRefs?: SeriesRefs<unknown> | undefined;
  noteMetadata(metadata: readonly MetricMetadata[]): void;
  /**
   * External backend mode: sends validated series on instead of buffering them; resolves with
   * the samples the backend refused for good (see RemoteWriteForwarder).
   */
  readonly forwardMetrics?: (series: MetricSeries[], metadata: readonly MetricMetadata[]) => Promise<number>;
}

export interface MetricsIngestorSettings {
  limits: SeriesLimits;
  /** The buffer's capacity in samples (series decoded in full count one each); a request with more gets 413, not 429. */
  bufferMaxItems: number;
  waitMs: number;
  /**
   * Told the time span of every accepted write (the metrics cache re-evaluates times it had
   * already settled when samples for them arrive late).
   */
  onAccepted?: (projectId: string, minMs: number, maxMs: number) => void;
}

/** Oldest and newest sample time of a batch; [Infinity, -Infinity] when it holds none. */
export function sampleSpan(
  series: readonly MetricSeries[],
  resolved: ResolvedSamples | undefined,
): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series)
    for (const t of s.timestampsMs) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  if (resolved)
    for (let i = 0; i < resolved.count; i++) {
      const t = resolved.timestampsMs[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  return [min, max];
}

/** What was kept of one request; the front-ends turn it into their protocol's answer. */
export interface MetricsIngestResult {
  seriesWritten: number;
  samplesWritten: number;
  /** Samples (OTLP: data points) left out; `message` says why. */
  rejected: number;
  message: string | undefined;
  exemplarsDropped: number;
}

const NATIVE_HISTOGRAMS_REASON =
  'native histograms are not supported yet; send classic histograms (_bucket/_sum/_count series)';

/**
 * The transport-independent half of metrics ingestion: decode (remote write 1.0/2.0 or OTLP),
 * validate series by series (series-validation.ts), hand what passed to the project's write
 * buffer. Unlike traces and logs, a request can be kept in part: the rules reject single samples
 * or series, and the result says what was dropped. A full buffer still refuses the request whole.
 */
export class MetricsIngestor {
  constructor(
    private readonly pipeline: (projectId: string) => Promise<MetricsPipeline>,
    private readonly metrics: SelfMetrics,
    private readonly settings: MetricsIngestorSettings,
  ) {}

  /**
   * `body` gives the decompressed request when called: called once, right before decoding and
   * with no await in between, so it may hand out a buffer it reuses (SnappyDecompressor).
   */
  async ingestRemoteWrite(
    projectId: string,
    version: RemoteWriteVersion,
    body: () => Uint8Array,
  ): Promise<MetricsIngestResult> {
    const pipeline = await this.ready(projectId);
    const bytes = body();
    const refs =
      version === '1.0' && pipeline.seriesRefs !== undefined && pipeline.forwardMetrics === undefined
        ? this.withinLimits(pipeline.seriesRefs)
        : undefined;
    const batch = this.decode(() =>
      version === '2.0' ? decodeRemoteWrite2(bytes) : decodeRemoteWrite1(bytes, refs),
    );
    const extra =
      batch.nativeHistogramSeries > 0
        ? {
            rejected: batch.nativeHistogramSeries,
            reason: `${NATIVE_HISTOGRAMS_REASON} (${batch.nativeHistogramSeries} series)`,
          }
        : undefined;
    return this.store(projectId, pipeline, batch, 'remote_write', extra);
  }

  async ingestOtlp(
    projectId: string,
    format: PayloadFormat,
    body: Uint8Array,
    transport: Transport,
  ): Promise<MetricsIngestResult> {
    const pipeline = await this.ready(projectId);
    const result = this.decode(() =>
      format === 'protobuf'
        ? decodeMetricsProtobuf(body)
        : decodeMetricsJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')),
    );
    const extra =
      result.rejected.dataPoints > 0
        ? { rejected: result.rejected.dataPoints, reason: otlpRejectionMessage(result.rejected) }
        : undefined;
    return this.store(
      projectId,
      pipeline,
      result.batch,
      transport === 'grpc' ? 'otlp_grpc' : 'otlp_http',
      extra,
    );
  }

  /**
   * The store's refs, accepting only samples the validation rules would keep as they are (a
   * timestamp outside the accepted window sends the series down the full path, which rejects
   * it with a reason and an example): what the decoder resolves is accepted unchecked.
   */
  private withinLimits(refs: SeriesRefs<unknown>): SeriesRefs<unknown> {
    const nowMs = Date.now();
    const minMs = nowMs - this.settings.limits.retentionMs;
    const maxMs = nowMs + this.settings.limits.maxFutureSkewMs;
    return {
      find: (high, low) => refs.find(high, low),
      idWords: (ref, out) => refs.idWords(ref, out),
      accepts: (ref, first, last) => first >= minMs && last <= maxMs && refs.accepts(ref, first, last),
    };
  }

  private async ready(projectId: string): Promise<MetricsPipeline> {
    const pipeline = await this.pipeline(projectId);
    // Refuse before decoding when even the parking space is full (see OtlpIngestor).
    if (!pipeline.metricBuffer.canAcceptOrPark) {
      this.metrics.rejectedItems('metrics', 'overloaded');
      throw overloaded();
    }
    return pipeline;
  }

  private decode<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.metrics.rejectedItems('metrics', 'malformed');
      if (e instanceof AppError) throw e;
      throw new AppError('bad_request', `malformed metrics request: ${(e as Error).message}`, { cause: e });
    }
  }

  private async store(
    projectId: string,
    pipeline: MetricsPipeline,
    batch: MetricsBatch,
    protocol: string,
    extra: { rejected: number; reason: string } | undefined,
  ): Promise<MetricsIngestResult> {
    const valid = validateSeries(batch.series, this.settings.limits);
    // Samples of series the decoder resolved passed the same rules when they were first stored
    // (labels) and in the decoder (times, see withinLimits).
    const resolved = batch.resolved !== undefined && batch.resolved.count > 0 ? batch.resolved : undefined;
    const resolvedSamples = resolved?.count ?? 0;
    const acceptedSamples = valid.acceptedSamples + resolvedSamples;
    const records = valid.accepted.length + resolvedSamples;
    if (records > this.settings.bufferMaxItems) {
      this.metrics.rejectedItems('metrics', 'too_large', acceptedSamples);
      throw new AppError(
        'payload_too_large',
        `the request holds ${records} samples, more than the metrics write buffer takes at once (${this.settings.bufferMaxItems}); split it`,
      );
    }
    let backendRefused = 0;
    if (valid.accepted.length > 0 && pipeline.forwardMetrics) {
      backendRefused = await pipeline.forwardMetrics(valid.accepted, batch.metadata);
      if (backendRefused > 0) this.metrics.rejectedItems('metrics', 'backend_refused', backendRefused);
      this.metrics.accepted('metrics', protocol, valid.acceptedSamples - backendRefused);
    } else if (records > 0) {
      const chunk: MetricsChunk = { series: valid.accepted, resolved };
      if (!(await pipeline.metricBuffer.offerWithin([chunk], this.settings.waitMs))) {
        this.metrics.rejectedItems('metrics', 'overloaded', acceptedSamples);
        throw overloaded();
      }
      this.metrics.accepted('metrics', protocol, acceptedSamples);
    }
    if (records > 0 && this.settings.onAccepted) {
      const [min, max] = sampleSpan(valid.accepted, resolved);
      if (min <= max) this.settings.onAccepted(projectId, min, max);
    }
    // Prometheus sends metadata in requests of their own (metadata_config.send_interval); it is
    // written with the next batch of samples.
    if (batch.metadata.length > 0 && !pipeline.forwardMetrics) pipeline.noteMetadata(batch.metadata);
    if (valid.rejectedSamples > 0) this.metrics.rejectedItems('metrics', 'invalid', valid.rejectedSamples);
    const reasons: string[] = [];
    if (extra) reasons.push(extra.reason);
    if (valid.rejectedSamples > 0) reasons.push(validationMessage(valid));
    return {
      seriesWritten: records,
      // A backend's 400 is not passed on (agents would retry it forever); it only shows in counts.
      samplesWritten: acceptedSamples - backendRefused,
      rejected: valid.rejectedSamples + (extra?.rejected ?? 0),
      message: reasons.length > 0 ? reasons.join('; ') : undefined,
      exemplarsDropped: batch.exemplarsDropped,
    };
  }
}

function overloaded(): AppError {
  return new AppError('overloaded', 'the metrics write buffer is full; retry later', {
    retryAfterSeconds: 1,
  });
}
