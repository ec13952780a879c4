/**
 * decodeRemoteWrite1 with SeriesRefs: a series whose label bytes the refs know comes out as
 * resolved columns, everything else is decoded in full and carries its label-bytes hash.
 */
import { describe, expect, it } from 'vitest';
import type { MetricSeries, SeriesRefs } from '../metrics/records.ts';
import { bytes, dfield, f64field, lfield, sfield, vfield } from '../testing/proto-writer.ts';
import { decodeRemoteWrite1 } from './decode-v1.ts';
import { encodeRemoteWrite1 } from './encode-v1.ts';
import { hashLabelBytes } from './label-bytes-hash.ts';
import { series, T0 } from './test-fixtures.ts';

/**
 * Refs that learn every fully decoded series' hash, as the store does once it is stored; the
 * series id of metric `m<k>` is [k, 1000 + k].
 */
class LearningRefs implements SeriesRefs<string> {
  readonly known = new Map<string, string>();
  idWords(ref: string, out: Uint32Array): void {
    const k = ref.charCodeAt(0);
    out[0] = k;
    out[1] = 1000 + k;
  }
  accept = (_ref: string, _min: number, _max: number): boolean => true;
  find(high: number, low: number): string | undefined {
    return this.known.get(`${high}:${low}`);
  }
  accepts(ref: string, minMs: number, maxMs: number): boolean {
    return this.accept(ref, minMs, maxMs);
  }
  learn(decoded: readonly MetricSeries[]): void {
    for (const s of decoded) {
      if (s.labelBytesHigh === undefined) continue;
      const name = s.labels.find((l) => l.name === '__name__')!.value;
      this.known.set(`${s.labelBytesHigh}:${s.labelBytesLow}`, name);
    }
  }
}

const words = (v: number): [number, number] => {
  const w = new Uint32Array(new Float64Array([v]).buffer);
  return [w[0]!, w[1]!];
};

describe('decodeRemoteWrite1 with SeriesRefs', () => {
  it('decodes unknown series in full with a hash, then resolves the same bytes without labels', () => {
    const refs = new LearningRefs();
    const body = encodeRemoteWrite1({ series: [series('a', [1]), series('b', [2, 3])] });
    const first = decodeRemoteWrite1(body, refs);
    expect(first.series.map((s) => s.values)).toEqual([[1], [2, 3]]);
    expect(first.series.every((s) => s.labelBytesHigh !== undefined)).toBe(true);
    expect(first.resolved!.count).toBe(0);
    refs.learn(first.series);

    const next = encodeRemoteWrite1({
      series: [series('a', [10]), series('new', [5]), { ...series('b', [20, 30]), staleIndexes: [1] }],
    });
    const second = decodeRemoteWrite1(next, refs);
    expect(second.series.map((s) => s.labels[0]!.value)).toEqual(['new']);
    const r = second.resolved!;
    expect(r.count).toBe(3);
    const a = 'a'.charCodeAt(0);
    const b = 'b'.charCodeAt(0);
    expect([...r.idWords.subarray(0, 6)]).toEqual([1000 + a, a, 1000 + b, b, 1000 + b, b]);
    expect([...r.timestampsMs.subarray(0, 3)]).toEqual([T0, T0, T0 + 15_000]);
    expect([...r.valueWords.subarray(0, 6)]).toEqual([...words(10), ...words(20), 2, 0x7ff00000]);
  });

  it('hashes equal label bytes equally and different ones differently', () => {
    const a = encodeRemoteWrite1({ series: [series('m', [1], { x: '1' })] });
    const b = encodeRemoteWrite1({ series: [series('m', [99], { x: '1' })] });
    const c = encodeRemoteWrite1({ series: [series('m', [1], { x: '2' })] });
    const hash = (body: Uint8Array) => {
      const s = decodeRemoteWrite1(body, new LearningRefs()).series[0]!;
      return [s.labelBytesHigh, s.labelBytesLow];
    };
    expect(hash(a)).toEqual(hash(b));
    expect(hash(a)).not.toEqual(hash(c));
  });

  it('decodes a known series in full when the refs refuse its sample times', () => {
    const refs = new LearningRefs();
    refs.learn(decodeRemoteWrite1(encodeRemoteWrite1({ series: [series('a', [1])] }), refs).series);
    const seen: Array<[number, number]> = [];
    refs.accept = (_ref, min, max) => {
      seen.push([min, max]);
      return max < T0 + 15_000;
    };
    const batch = decodeRemoteWrite1(
      encodeRemoteWrite1({ series: [series('a', [1]), series('a', [1, 2])] }),
      refs,
    );
    expect(seen).toEqual([
      [T0, T0],
      [T0, T0 + 15_000],
    ]);
    expect(batch.resolved!.count).toBe(1);
    expect(batch.series).toHaveLength(1);
    expect(batch.series[0]!.values).toEqual([1, 2]);
    expect(batch.series[0]!.labels.map((l) => l.value)).toContain('a');
  });

  describe('on hand-made bodies', () => {
    const label = (name: string, value: string): number[] => lfield(1, sfield(1, name), sfield(2, value));
    const sample = (...parts: number[][]): number[] => lfield(2, ...parts);
    const known = label('__name__', 'up');

    it('never resolves, nor hashes, a series whose labels are not one leading run', () => {
      const refs = new LearningRefs();
      const scattered = bytes(lfield(1, known, sample(dfield(1, 1), vfield(2, T0)), label('job', 'x')));
      const first = decodeRemoteWrite1(scattered, refs);
      expect(first.series[0]!.labelBytesHigh).toBeUndefined();
      // Teach the refs the leading run alone: the scattered series must still be decoded in full.
      refs.learn(decodeRemoteWrite1(bytes(lfield(1, known, sample(dfield(1, 1)))), refs).series);
      const again = decodeRemoteWrite1(scattered, refs);
      expect(again.resolved!.count).toBe(0);
      expect(again.series[0]!.labels.map((l) => l.name)).toEqual(['__name__', 'job']);
      const samplesFirst = decodeRemoteWrite1(bytes(lfield(1, sample(dfield(1, 3)), known)), refs);
      expect(samplesFirst.series[0]!.labelBytesHigh).toBeUndefined();
      expect(samplesFirst.resolved!.count).toBe(0);
    });

    it('copies the raw bits of every value, absent ones as +0, and counts exemplars once', () => {
      const refs = new LearningRefs();
      refs.learn(decodeRemoteWrite1(bytes(lfield(1, known, sample(dfield(1, 1)))), refs).series);
      const body = bytes(
        lfield(
          1,
          known,
          sample(f64field(1, 0x7ff4000000000001n), vfield(2, 5)),
          lfield(3, sfield(9, 'exemplar')),
          sample(),
          sample(f64field(1, 0x8000000000000000n)),
        ),
      );
      const batch = decodeRemoteWrite1(body, refs);
      expect(batch.exemplarsDropped).toBe(1);
      expect(batch.resolved!.count).toBe(3);
      expect([...batch.resolved!.valueWords.subarray(0, 6)]).toEqual([1, 0x7ff40000, 0, 0, 0, 0x80000000]);
      expect([...batch.resolved!.timestampsMs.subarray(0, 3)]).toEqual([5, 0, 0]);
    });

    it('grows its columns past the first guess', () => {
      const refs = new LearningRefs();
      refs.learn(decodeRemoteWrite1(bytes(lfield(1, known, sample(dfield(1, 1)))), refs).series);
      const many = Array.from({ length: 500 }, (_, i) => sample(dfield(1, i), vfield(2, i)));
      const batch = decodeRemoteWrite1(bytes(lfield(1, known, ...many)), refs);
      expect(batch.resolved!.count).toBe(500);
      expect(batch.resolved!.timestampsMs[499]).toBe(499);
    });
  });
});

describe('hashLabelBytes', () => {
  it('gives 200k realistic label runs 200k distinct 64-bit hashes, and depends on every byte', () => {
    const seen = new Set<string>();
    const out = new Int32Array(2);
    const enc = new TextEncoder();
    for (let i = 0; i < 200_000; i++) {
      const text = `__name__\x00node_cpu_seconds_total\x00cpu\x00${i % 64}\x00instance\x00host-${i >> 6}:9100\x00mode\x00idle`;
      const b = enc.encode(text);
      hashLabelBytes(b, new DataView(b.buffer), 0, b.length, out);
      seen.add(`${out[0]}:${out[1]}`);
    }
    expect(seen.size).toBe(200_000);
    const base = enc.encode('x'.repeat(37));
    const hashes = new Set<string>();
    for (let pos = 0; pos < base.length; pos++)
      for (const bit of [0x01, 0x80]) {
        const b = base.slice();
        b[pos]! ^= bit;
        hashLabelBytes(b, new DataView(b.buffer), 0, b.length, out);
        hashes.add(`${out[0]}:${out[1]}`);
      }
    expect(hashes.size).toBe(base.length * 2);
  });
});
