/**
 * A bounded on-disk queue of requests waiting to be sent: one file per request (a "segment"),
 * named so that names sort in write order (segment-name.ts), each written atomically
 * (durable-file.ts). What a process leaves behind is picked up by the next one that opens the
 * directory, so a server outage or an agent restart loses nothing that reached the disk.
 *
 * The queue is bounded in bytes: to make room, the OLDEST segments are deleted and counted —
 * after a long outage the newest data is worth more, and the newest is what Prometheus-style
 * receivers still accept (they refuse samples far behind their head).
 *
 * One process per directory: two agents on one spool would send each other's segments.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { badRequest, silentLogger, type Logger } from '@vigil/core';
import { isNotFound, unlinkIfPresent, writeFileDurably } from './durable-file.ts';
import { formatSegmentName, parseSegmentName, TMP_SUFFIX } from './segment-name.ts';

/** 500 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES = 500 * 1024 * 1024;

/** One queued request. */
export interface SpoolSegment {
  readonly fileName: string;
  /** Position in write order. */
  readonly seq: number;
  /** The sample time of the request's data (ms). */
  readonly timestampMs: number;
  /** Samples in the request, for the sender's counters. */
  readonly samples: number;
  readonly sizeBytes: number;
}

export interface DiskSpoolOptions {
  /** Bound on the segments' total size (default 500 MiB). */
  readonly maxBytes?: number;
  readonly logger?: Logger;
}

export interface SpoolStats {
  readonly segments: number;
  readonly bytes: number;
  readonly maxBytes: number;
  /** Segments deleted unsent to stay under `maxBytes`, since open. */
  readonly droppedSegments: number;
  readonly droppedBytes: number;
  readonly droppedSamples: number;
  /** Half-written files of a previous process removed at open. */
  readonly leftoverTmpFiles: number;
}

/** Opens (creating it if needed) the spool in `dir` and picks up the segments already there. */
export async function openDiskSpool(dir: string, options: DiskSpoolOptions = {}): Promise<DiskSpool> {
  const maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw badRequest(`spool maxBytes must be a positive whole number, got ${maxBytes}`);
  }
  await mkdir(dir, { recursive: true });
  const found: SpoolSegment[] = [];
  const unknown: string[] = [];
  let leftoverTmpFiles = 0;
  for (const fileName of await readdir(dir)) {
    if (fileName.endsWith(TMP_SUFFIX)) {
      await unlinkIfPresent(path.join(dir, fileName));
      leftoverTmpFiles++;
      continue;
    }
    const parsed = parseSegmentName(fileName);
    if (parsed === undefined) {
      unknown.push(fileName);
      continue;
    }
    const { size } = await stat(path.join(dir, fileName));
    found.push({ fileName, ...parsed, sizeBytes: size });
  }
  found.sort((a, b) => a.seq - b.seq);
  const logger = options.logger ?? silentLogger;
  if (unknown.length > 0) {
    logger.warn(
      { dir, files: unknown.slice(0, 10) },
      'spool directory holds files that are not segments; left alone',
    );
  }
  const spool = new DiskSpool(dir, maxBytes, found, leftoverTmpFiles, logger);
  await spool.makeRoom(0);
  return spool;
}

/** See the module comment. Create with {@link openDiskSpool}. */
export class DiskSpool {
  private nextSeq: number;
  private totalBytes = 0;
  private droppedSegments = 0;
  private droppedBytes = 0;
  private droppedSamples = 0;
  /** Appends run one after another, so segments enter the queue in sequence order. */
  private appending: Promise<unknown> = Promise.resolve();

  /** @internal use {@link openDiskSpool} */
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    /** Oldest first. */
    private readonly segments: SpoolSegment[],
    private readonly leftoverTmpFiles: number,
    private readonly logger: Logger,
  ) {
    for (const s of segments) this.totalBytes += s.sizeBytes;
    this.nextSeq = (segments.at(-1)?.seq ?? 0) + 1;
  }

  /**
   * Writes one request durably and queues it. Older segments are dropped first if the new one
   * would not fit under the bound; a request larger than the whole bound is dropped itself
   * (counted, not written) and undefined is returned.
   *
   * @throws the file system's error (e.g. ENOSPC); nothing is queued then.
   */
  append(
    bytes: Uint8Array,
    info: { readonly timestampMs: number; readonly samples: number },
  ): Promise<SpoolSegment | undefined> {
    const run = this.appending.then(() => this.appendNow(bytes, info));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private async appendNow(
    bytes: Uint8Array,
    info: { readonly timestampMs: number; readonly samples: number },
  ): Promise<SpoolSegment | undefined> {
    if (bytes.length > this.maxBytes) {
      this.countDropped(bytes.length, info.samples);
      this.logger.warn(
        { dir: this.dir, bytes: bytes.length, maxBytes: this.maxBytes },
        'request is larger than the whole spool; dropped',
      );
      return undefined;
    }
    await this.makeRoom(bytes.length);
    const seq = this.nextSeq++;
    const fileName = formatSegmentName(seq, info.timestampMs, info.samples);
    const finalPath = path.join(this.dir, fileName);
    await writeFileDurably(this.dir, finalPath + TMP_SUFFIX, finalPath, bytes);
    const segment: SpoolSegment = {
      fileName,
      seq,
      timestampMs: info.timestampMs,
      samples: info.samples,
      sizeBytes: bytes.length,
    };
    this.segments.push(segment);
    this.totalBytes += segment.sizeBytes;
    return segment;
  }

  /** The segment to send next, if any. */
  oldest(): SpoolSegment | undefined {
    return this.segments[0];
  }

  /** The segment's bytes, or undefined when it was dropped (over the bound) meanwhile. */
  async read(segment: SpoolSegment): Promise<Buffer | undefined> {
    try {
      return await readFile(path.join(this.dir, segment.fileName));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Deletes a segment (sent, or refused for good). Removing one that is gone is a no-op. */
  async remove(segment: SpoolSegment): Promise<void> {
    if (!this.forget(segment)) return;
    await unlinkIfPresent(path.join(this.dir, segment.fileName));
  }

  stats(): SpoolStats {
    return {
      segments: this.segments.length,
      bytes: this.totalBytes,
      maxBytes: this.maxBytes,
      droppedSegments: this.droppedSegments,
      droppedBytes: this.droppedBytes,
      droppedSamples: this.droppedSamples,
      leftoverTmpFiles: this.leftoverTmpFiles,
    };
  }

  /** Drops the oldest segments until `incomingBytes` more fit under the bound. @internal */
  async makeRoom(incomingBytes: number): Promise<void> {
    let dropped = 0;
    let droppedBytes = 0;
    while (this.segments.length > 0 && this.totalBytes + incomingBytes > this.maxBytes) {
      const oldest = this.segments[0]!;
      this.forget(oldest);
      this.countDropped(oldest.sizeBytes, oldest.samples);
      dropped++;
      droppedBytes += oldest.sizeBytes;
      await unlinkIfPresent(path.join(this.dir, oldest.fileName));
    }
    if (dropped > 0) {
      this.logger.warn(
        { dir: this.dir, segments: dropped, bytes: droppedBytes, maxBytes: this.maxBytes },
        'spool is full; dropped the oldest unsent requests',
      );
    }
  }

  private forget(segment: SpoolSegment): boolean {
    // Nearly always the head: the sender removes the oldest, and so does the bound.
    const index = this.segments[0] === segment ? 0 : this.segments.indexOf(segment);
    if (index < 0) return false;
    this.segments.splice(index, 1);
    this.totalBytes -= segment.sizeBytes;
    return true;
  }

  private countDropped(bytes: number, samples: number): void {
    this.droppedSegments++;
    this.droppedBytes += bytes;
    this.droppedSamples += samples;
  }
}
