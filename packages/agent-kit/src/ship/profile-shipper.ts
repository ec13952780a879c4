/**
 * Ships profiles to the server (`POST <collector>/v1/profiles?service.name=…&container.id=…&
 * host.name=…`, a gzipped pprof body) through the on-disk spool, like the logs shipper. Each
 * profile needs its own query string, so a spool segment carries it in front of the body and
 * the sender splits them again:
 *
 * ```
 * segment: [u32 BE: query length][query, UTF-8][gzipped pprof]
 * ship(query, pprof) ─► DiskSpool ─► SpoolSender ─► POST /v1/profiles?<query>
 * ```
 *
 * A 4xx that can never pass drops the profile; no answer, 401/403, 408, 429 and 5xx keep it and
 * back off. What `stop()` leaves unsent stays in the spool for the next process.
 */
import type { DiskSpool } from '../push/disk-spool.ts';
import { writeUrl } from '../push/remote-write-pusher.ts';
import { SpoolSender, type SpoolSenderStats } from '../push/spool-sender.ts';
import { errorMessage, type Logger } from '@vigil/core';
import { shipperHeaders } from './push-target.ts';

export const PROFILES_PATH = '/v1/profiles';

export interface ProfileShipperOptions {
  /** The server's base URL; requests go to `<url>/v1/profiles?…`. */
  readonly collectorUrl: string;
  readonly apiKey?: string | undefined;
  readonly spool: DiskSpool;
  readonly logger: Logger;
  readonly version: string;
  /** Sent as `User-Agent: <agentName>/<version>` (default `vigil-node-agent`). */
  readonly agentName?: string;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly requestTimeoutMs?: number;
}

export interface ProfileShipperStats extends SpoolSenderStats {
  /** Profiles not written to the spool (disk error, or larger than its whole bound). */
  readonly lostProfiles: number;
}

/** Puts the query string in front of the body (see the file comment). */
export function encodeProfileSegment(query: string, pprof: Uint8Array): Buffer {
  const q = Buffer.from(query, 'utf8');
  const out = Buffer.allocUnsafe(4 + q.length + pprof.length);
  out.writeUInt32BE(q.length, 0);
  q.copy(out, 4);
  out.set(pprof, 4 + q.length);
  return out;
}

/** Splits a segment into its query string and body; undefined when it is not one. */
export function decodeProfileSegment(segment: Uint8Array): { query: string; pprof: Uint8Array } | undefined {
  if (segment.length < 4) return undefined;
  const view = Buffer.from(segment.buffer, segment.byteOffset, segment.byteLength);
  const length = view.readUInt32BE(0);
  if (4 + length > view.length) return undefined;
  return { query: view.toString('utf8', 4, 4 + length), pprof: view.subarray(4 + length) };
}

export class ProfileShipper {
  private readonly sender: SpoolSender;
  private lostProfiles = 0;

  constructor(private readonly options: ProfileShipperOptions) {
    const url = writeUrl(options.collectorUrl, PROFILES_PATH);
    this.sender = new SpoolSender({
      spool: options.spool,
      url,
      headers: shipperHeaders('application/octet-stream', options),
      // A segment that is not ours goes as is to the bare URL; the server refuses it (400) and
      // the sender drops it, rather than it blocking the spool.
      request: (body) => {
        const parts = decodeProfileSegment(body);
        return parts === undefined ? { url, body } : { url: `${url}?${parts.query}`, body: parts.pprof };
      },
      logger: options.logger,
      what: 'profiles',
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    });
  }

  /** Writes one profile to the spool; resolves once it is on disk (or counted as lost). */
  async ship(
    labels: Readonly<Record<string, string>>,
    pprof: Uint8Array,
    timestampMs: number,
  ): Promise<void> {
    const query = new URLSearchParams(labels).toString();
    try {
      const segment = await this.options.spool.append(encodeProfileSegment(query, pprof), {
        timestampMs,
        samples: 1,
      });
      if (segment === undefined) this.lostProfiles++;
    } catch (err) {
      this.lostProfiles++;
      this.options.logger.error({ err: errorMessage(err) }, 'could not spool a profile; it is lost');
    }
    this.sender.wake();
  }

  stats(): ProfileShipperStats {
    return { ...this.sender.stats(), lostProfiles: this.lostProfiles };
  }

  /** Stops the sender after the request in flight. */
  stop(): Promise<void> {
    return this.sender.stop();
  }
}
