/**
 * The transport-independent half of profile ingestion (Coroot's `/v1/profiles`, Pyroscope's
 * `/ingest`): decode, check, turn into rows, hand to the project's write buffer. A request is
 * accepted or refused whole, like spans and logs.
 */
import { AppError } from '@vigil/core';
import type { DecodedProfile } from '@vigil/protocols';
import { profileChunk, type ProfileOrigin } from '@vigil/storage';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { TelemetryLookup } from './otlp-ingestor.ts';

const SIGNAL = 'profiles';

export interface ProfilesIngestorSettings {
  maxFutureSkewMs: number;
  /** The write buffer's capacity in sample rows: a larger profile gets 413, not 429. */
  bufferMaxItems: number;
  /** How long a request waits for room in a full buffer before it is answered 429. */
  waitMs: number;
}

/** Where a profile comes from and the time it covers, before the body is decoded. */
export interface ProfileRequest {
  service: string;
  labels: Record<string, string>;
  /** The profile's time range; unset: taken from the profile, else the time of receipt. */
  startUnixNano?: bigint;
  endUnixNano?: bigint;
}

export class ProfilesIngestor {
  constructor(
    private readonly telemetry: TelemetryLookup,
    private readonly metrics: SelfMetrics,
    private readonly settings: ProfilesIngestorSettings,
  ) {}

  /** Decodes with `decode` and stores; returns the number of sample rows accepted. */
  async ingest(
    projectId: string,
    request: ProfileRequest,
    decode: () => DecodedProfile,
    protocol: 'pprof' | 'pyroscope',
  ): Promise<number> {
    const project = await this.telemetry(projectId);
    const buffer = project.profileBuffer;
    if (!buffer.canAcceptOrPark) {
      this.metrics.rejectedItems(SIGNAL, 'overloaded');
      throw this.overloaded();
    }
    let profile: DecodedProfile;
    try {
      profile = decode();
    } catch (e) {
      this.metrics.rejectedItems(SIGNAL, 'malformed');
      if (e instanceof AppError) throw e;
      throw new AppError('bad_request', `malformed profile: ${(e as Error).message}`, { cause: e });
    }
    const origin = this.origin(request, profile);
    const chunk = profileChunk(profile, origin);
    if (chunk.rows === 0) return 0;
    if (chunk.rows > this.settings.bufferMaxItems) {
      this.metrics.rejectedItems(SIGNAL, 'too_large', chunk.rows);
      throw new AppError(
        'payload_too_large',
        `the profile holds ${chunk.rows} (stack, sample type) rows, more than the write buffer takes at once (${this.settings.bufferMaxItems}); send smaller profiles`,
      );
    }
    if (!(await buffer.offerWithin([chunk], this.settings.waitMs))) {
      this.metrics.rejectedItems(SIGNAL, 'overloaded', chunk.rows);
      throw this.overloaded();
    }
    this.metrics.accepted(SIGNAL, protocol, chunk.rows);
    return chunk.rows;
  }

  /**
   * The profile's time range: the request's, else pprof's time_nanos + duration_nanos (what
   * Coroot's agents set), else the moment it arrived.
   */
  private origin(request: ProfileRequest, profile: DecodedProfile): ProfileOrigin {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const start =
      request.startUnixNano ?? (profile.timeNanos > 0n ? profile.timeNanos : nowNs - profile.durationNanos);
    const end = request.endUnixNano ?? start + profile.durationNanos;
    const maxNs = nowNs + BigInt(this.settings.maxFutureSkewMs) * 1_000_000n;
    if (start > maxNs) {
      this.metrics.rejectedItems(SIGNAL, 'future_timestamp');
      throw new AppError(
        'bad_request',
        `the profile starts more than ${this.settings.maxFutureSkewMs} ms in the future; it was not stored`,
      );
    }
    return { service: request.service, labels: request.labels, startUnixNano: start, endUnixNano: end };
  }

  private overloaded(): AppError {
    return new AppError('overloaded', 'the profiles write buffer is full; retry later', {
      retryAfterSeconds: 1,
    });
  }
}
