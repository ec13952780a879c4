import { gzipSync } from 'node:zlib';
import {
  Function as PprofFunction,
  Label,
  Line,
  Location,
  Profile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../decode-error.ts';
import { decodePprof } from './pprof-decode.ts';
import { encodePprof } from './pprof-encode.ts';

const opts = { maxDecompressedBytes: 1 << 20 };

/** What Go's runtime/pprof writes: functions with files and lines, an inlined call, an address. */
function goStyleProfile(): Buffer {
  const s = new StringTable();
  const fn = (id: number, name: string, file: string) =>
    new PprofFunction({ id, name: s.dedup(name), systemName: s.dedup(name), filename: s.dedup(file) });
  const profile = new Profile({
    sampleType: [
      new ValueType({ type: s.dedup('samples'), unit: s.dedup('count') }),
      new ValueType({ type: s.dedup('cpu'), unit: s.dedup('nanoseconds') }),
    ],
    function: [
      fn(1, 'main.main', '/src/main.go'),
      fn(2, 'main.work', '/src/work.go'),
      fn(3, 'main.hash', '/src/hash.go'),
    ],
    location: [
      new Location({ id: 10, address: 0x1000, line: [new Line({ functionId: 1, line: 12 })] }),
      // main.hash inlined into main.work: the innermost line comes first.
      new Location({
        id: 11,
        address: 0x2000,
        line: [new Line({ functionId: 3, line: 40 }), new Line({ functionId: 2, line: 31 })],
      }),
      new Location({ id: 12, address: 0xbeef }),
    ],
    sample: [
      new Sample({
        locationId: [11, 10],
        value: [3, 30_000_000],
        label: [new Label({ key: s.dedup('thread'), str: s.dedup('w1') })],
      }),
      new Sample({
        locationId: [11, 10],
        value: [2, 20_000_000],
        label: [new Label({ key: s.dedup('thread'), str: s.dedup('w1') })],
      }),
      new Sample({ locationId: [12, 10], value: [1, 10_000_000] }),
    ],
    stringTable: s,
    timeNanos: 1_700_000_000_000_000_000n,
    durationNanos: 10_000_000_000n,
  });
  return gzipSync(profile.encode());
}

describe('decodePprof', () => {
  it('turns a Go-style profile into root-first stacks named "function file:line", summed per stack', () => {
    const p = decodePprof(goStyleProfile(), opts);
    expect(p.types).toEqual(['samples:count', 'cpu:nanoseconds']);
    expect(p.timeNanos).toBe(1_700_000_000_000_000_000n);
    expect(p.durationNanos).toBe(10_000_000_000n);
    expect(p.stacks).toEqual([
      {
        frames: ['main.main /src/main.go:12', 'main.work /src/work.go:31', 'main.hash /src/hash.go:40'],
        values: [5, 50_000_000],
        labels: { thread: 'w1' },
      },
      { frames: ['main.main /src/main.go:12', '0xbeef'], values: [1, 10_000_000], labels: {} },
    ]);
  });

  it('keeps a type that already ends in its unit, as Coroot node agent sends ebpf:cpu:nanoseconds', () => {
    const body = encodePprof({
      sampleTypes: [{ type: 'ebpf:cpu:nanoseconds', unit: 'nanoseconds' }],
      samples: [{ stack: ['main'], values: [1] }],
    });
    expect(decodePprof(body, opts).types).toEqual(['ebpf:cpu:nanoseconds']);
  });

  it('round-trips what encodePprof wrote, gzip-compressed or plain', () => {
    for (const gzip of [true, false]) {
      const body = encodePprof(
        {
          sampleTypes: [
            { type: 'cpu', unit: 'nanoseconds' },
            { type: 'samples', unit: 'count' },
          ],
          timeNanos: 1_700_000_060_000_000_000n,
          durationNanos: 60_000_000_000n,
          samples: [
            {
              stack: ['main', { functionName: 'parse', fileName: 'app.js', line: 7 }],
              values: [120, 12],
              labels: { pod: 'a' },
            },
            { stack: ['main', 'idle'], values: [7, 1] },
          ],
        },
        { gzip },
      );
      expect(body[0] === 0x1f).toBe(gzip);
      const p = decodePprof(body, opts);
      expect(p.types).toEqual(['cpu:nanoseconds', 'samples:count']);
      expect(p.timeNanos).toBe(1_700_000_060_000_000_000n);
      expect(p.stacks).toEqual([
        { frames: ['main', 'parse app.js:7'], values: [120, 12], labels: { pod: 'a' } },
        { frames: ['main', 'idle'], values: [7, 1], labels: {} },
      ]);
    }
  });

  const valid = encodePprof(
    { sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }], samples: [{ stack: ['a', 'b'], values: [5] }] },
    { gzip: false },
  );
  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['an empty body', new Uint8Array(), /empty pprof body/],
    ['broken gzip', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]), /not valid gzip data/],
    ['a truncated profile', valid.subarray(0, valid.length - 2), /malformed pprof: .*byte offset/],
    ['JSON text', Buffer.from('{"hello": "world"}'), /malformed pprof/],
    [
      'a profile without sample types',
      new Profile({ stringTable: new StringTable() }).encode(),
      /no sample types/,
    ],
  ];
  for (const [what, body, message] of bad) {
    it(`refuses ${what} with a DecodeError that says what is wrong`, () => {
      let error: unknown;
      try {
        decodePprof(body, opts);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a sample that points at a missing location', () => {
    const s = new StringTable();
    const body = new Profile({
      sampleType: [new ValueType({ type: s.dedup('cpu'), unit: s.dedup('nanoseconds') })],
      sample: [new Sample({ locationId: [99], value: [1] })],
      stringTable: s,
    }).encode();
    expect(() => decodePprof(body, opts)).toThrow(/sample\[0\] refers to unknown location 99/);
  });

  it('refuses a sample with the wrong number of values', () => {
    const s = new StringTable();
    const body = new Profile({
      sampleType: [new ValueType({ type: s.dedup('cpu'), unit: s.dedup('nanoseconds') })],
      sample: [new Sample({ locationId: [], value: [1, 2] })],
      stringTable: s,
    }).encode();
    expect(() => decodePprof(body, opts)).toThrow(/2 values for 1 sample types/);
  });

  it("leaves out an unnamed sample type and numeric labels, as Coroot's Go profiles carry them", () => {
    const s = new StringTable();
    const body = new Profile({
      // Coroot's cluster agent renames Go's `samples` column to '' beside `go:profile_cpu`.
      sampleType: [
        new ValueType({ type: s.dedup(''), unit: s.dedup('count') }),
        new ValueType({ type: s.dedup('go:heap_alloc_space'), unit: s.dedup('bytes') }),
      ],
      function: [new PprofFunction({ id: 1, name: s.dedup('main.alloc'), filename: s.dedup('/a.go') })],
      location: [new Location({ id: 1, line: [new Line({ functionId: 1, line: 3 })] })],
      sample: [
        // Go's heap samples say each allocation's size in a numeric `bytes` label.
        new Sample({
          locationId: [1],
          value: [2, 2048],
          label: [new Label({ key: s.dedup('bytes'), num: 1024 })],
        }),
        new Sample({
          locationId: [1],
          value: [1, 4096],
          label: [new Label({ key: s.dedup('bytes'), num: 4096 })],
        }),
      ],
      stringTable: s,
    }).encode();
    const p = decodePprof(body, opts);
    expect(p.types).toEqual(['go:heap_alloc_space:bytes']);
    // One stack, not one per allocation size, with only the named column's values.
    expect(p.stacks.map((r) => [r.frames, [...r.values], r.labels])).toEqual([
      [['main.alloc /a.go:3'], [6144], {}],
    ]);
  });

  it('answers a gzip bomb with payload_too_large', () => {
    const bomb = gzipSync(Buffer.alloc(4 << 20));
    expect(() => decodePprof(bomb, opts)).toThrow(/exceeds 1048576 bytes/);
  });
});
