/**
 * The columns a decoder fills with samples of series its SeriesRefs knew (ResolvedSamples in
 * metrics/records.ts): the series id's two words, a timestamp and the value's two raw words per
 * sample, in typed arrays that double when full, so a request of 2,000 known series costs a
 * handful of allocations instead of four per series, and holds no pointer for the garbage
 * collector to trace while it waits to be written.
 */
import type { ResolvedSamples } from '../metrics/records.ts';
import type { ProtoReader } from '../protobuf/reader.ts';
import { scanSample, type SampleScan } from './wire.ts';

/**
 * Initial capacity: one sample per this many request bytes. A node agent's series with one
 * sample takes 250-400 bytes; requests denser than this grow the arrays (doubling).
 */
const BYTES_PER_SAMPLE_GUESS = 256;

export class ResolvedColumns {
  count = 0;
  private readonly scan: SampleScan = { valueAt: -1, timestampMs: 0 };
  idWords: Uint32Array;
  timestampsMs: Float64Array;
  valueWords: Uint32Array;

  /** `bodyLength`: the request's size, to size the arrays for it at once. */
  constructor(bodyLength: number) {
    const capacity = Math.max(16, Math.ceil(bodyLength / BYTES_PER_SAMPLE_GUESS));
    this.idWords = new Uint32Array(capacity * 2);
    this.timestampsMs = new Float64Array(capacity);
    this.valueWords = new Uint32Array(capacity * 2);
  }

  /**
   * Reads one embedded Sample message of the series `id` ([high, low]); returns its timestamp. Absent fields are
   * proto3 zeros. The value's bits are copied as they are, staleness marker included.
   */
  readSample(r: ProtoReader, id: Uint32Array): number {
    const scan = this.scan;
    scanSample(r, scan);
    if (this.count === this.timestampsMs.length) this.grow();
    const i = this.count++;
    this.idWords[2 * i] = id[1]!;
    this.idWords[2 * i + 1] = id[0]!;
    this.timestampsMs[i] = scan.timestampMs;
    if (scan.valueAt < 0) {
      this.valueWords[2 * i] = 0;
      this.valueWords[2 * i + 1] = 0;
    } else {
      this.valueWords[2 * i] = r.view.getUint32(scan.valueAt, true);
      this.valueWords[2 * i + 1] = r.view.getUint32(scan.valueAt + 4, true);
    }
    return scan.timestampMs;
  }

  /** The samples read, as the batch hands them on. */
  done(): ResolvedSamples {
    return {
      count: this.count,
      idWords: this.idWords,
      timestampsMs: this.timestampsMs,
      valueWords: this.valueWords,
    };
  }

  private grow(): void {
    const capacity = this.timestampsMs.length * 2;
    const ids = new Uint32Array(capacity * 2);
    ids.set(this.idWords);
    this.idWords = ids;
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.timestampsMs);
    this.timestampsMs = timestamps;
    const words = new Uint32Array(capacity * 2);
    words.set(this.valueWords);
    this.valueWords = words;
  }
}
