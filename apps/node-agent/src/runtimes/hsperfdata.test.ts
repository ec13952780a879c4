import { describe, expect, it } from 'vitest';
import { parseHsperfdata } from './hsperfdata.ts';
import { jvmReading } from './jvm-metrics.ts';

type Entry = readonly [name: string, value: number | string];

/** Encodes entries the way HotSpot lays them out (names and data 8-byte aligned). */
function encode(entries: readonly Entry[], littleEndian = true): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of entries) {
    const nameBytes = Buffer.from(`${name}\0`, 'latin1');
    const dataOffset = align(20 + nameBytes.length);
    const data = typeof value === 'number' ? Buffer.alloc(8) : Buffer.from(`${value}\0`, 'utf8');
    if (typeof value === 'number') {
      if (littleEndian) data.writeBigInt64LE(BigInt(value));
      else data.writeBigInt64BE(BigInt(value));
    }
    const entry = Buffer.alloc(align(dataOffset + data.length));
    const int32 = (v: number, at: number): number =>
      littleEndian ? entry.writeInt32LE(v, at) : entry.writeInt32BE(v, at);
    int32(entry.length, 0);
    int32(20, 4);
    int32(typeof value === 'number' ? 0 : data.length, 8);
    entry.writeUInt8(typeof value === 'number' ? 0x4a : 0x42, 12);
    int32(dataOffset, 16);
    nameBytes.copy(entry, 20);
    data.copy(entry, dataOffset);
    parts.push(entry);
  }
  const body = Buffer.concat(parts);
  const prologue = Buffer.alloc(32);
  prologue.writeUInt32BE(0xcafec0c0, 0);
  prologue.writeUInt8(littleEndian ? 1 : 0, 4);
  prologue.writeUInt8(2, 5);
  prologue.writeUInt8(0, 6);
  prologue.writeUInt8(1, 7);
  const int32 = (v: number, at: number): number =>
    littleEndian ? prologue.writeInt32LE(v, at) : prologue.writeInt32BE(v, at);
  int32(32 + body.length, 8);
  int32(32, 24);
  int32(entries.length, 28);
  return Buffer.concat([prologue, body]);
}

const align = (n: number): number => Math.ceil(n / 8) * 8;

const G1: readonly Entry[] = [
  ['sun.os.hrt.frequency', 1_000_000_000],
  ['sun.rt.javaCommand', 'com.example.Main --port 8080'],
  ['java.property.java.version', '17.0.15'],
  ['sun.gc.generation.0.capacity', 8_388_632],
  ['sun.gc.generation.0.space.0.used', 1_000],
  ['sun.gc.generation.0.space.0.capacity', 8_388_616],
  ['sun.gc.generation.0.space.1.used', 200],
  ['sun.gc.generation.1.capacity', 33_554_440],
  ['sun.gc.generation.1.space.0.used', 13_645_208],
  ['sun.gc.metaspace.used', 75_704],
  ['sun.gc.collector.0.name', 'G1 young collection pauses'],
  ['sun.gc.collector.0.time', 1_500_000_000],
  ['sun.gc.collector.1.name', 'G1 full collection pauses'],
  ['sun.gc.collector.1.time', 58_729_566],
  ['sun.rt.safepointTime', 59_708_608],
  ['sun.rt.safepointSyncTime', 656_287],
];

describe('parseHsperfdata', () => {
  it.each([true, false])('decodes longs and strings in either byte order (little endian: %s)', (le) => {
    const result = parseHsperfdata(encode(G1, le));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.counters.get('sun.rt.javaCommand')).toBe('com.example.Main --port 8080');
    expect(result.counters.get('sun.gc.generation.1.space.0.used')).toBe(13_645_208);
    expect(result.counters.size).toBe(G1.length);
  });

  it.each([
    ['an empty file', (b: Buffer) => b.subarray(0, 0), /truncated: 0 bytes/],
    ['a prologue cut short', (b: Buffer) => b.subarray(0, 20), /truncated: 20 bytes/],
    [
      'a file shorter than its used size',
      (b: Buffer) => b.subarray(0, b.length - 5),
      /truncated: \d+ bytes of the \d+/,
    ],
    [
      'a wrong magic',
      (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0]), b.subarray(4)]),
      /bad magic 0x0/,
    ],
    [
      'a JVM still starting',
      (b: Buffer) => Buffer.concat([b.subarray(0, 7), Buffer.from([0]), b.subarray(8)]),
      /not accessible/,
    ],
  ])('reports %s as an error instead of decoding it', (_what, cut, message) => {
    const result = parseHsperfdata(cut(encode(G1)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(message);
  });

  it('reports an entry running past the end of the buffer', () => {
    const whole = encode(G1);
    // The prologue claims a used size that fits, but the last entry is cut.
    const cut = Buffer.from(whole.subarray(0, whole.length - 12));
    cut.writeInt32LE(cut.length, 8);
    const result = parseHsperfdata(cut);
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/truncated or corrupt entry 15/) as string,
    });
  });
});

describe('jvmReading', () => {
  it('sums generations into heap figures and converts ticks to seconds', () => {
    const result = parseHsperfdata(encode(G1));
    if (!result.ok) throw new Error(result.error);
    const reading = jvmReading(result.counters);
    expect(reading).toEqual({
      jvm: 'com.example.Main',
      javaVersion: '17.0.15',
      heapSizeBytes: 8_388_632 + 33_554_440,
      heapUsedBytes: 1_000 + 200 + 13_645_208,
      gcSeconds: new Map([
        ['G1 young collection pauses', 1.5],
        ['G1 full collection pauses', 0.058729566],
      ]),
      safepointSeconds: 0.059708608,
      safepointSyncSeconds: 0.000656287,
    });
  });

  it.each([
    ['/opt/app/service.jar --debug', 'service.jar'],
    ['org.example.Main', 'org.example.Main'],
    ['', 'unknown'],
  ])('names the JVM %j after its main class or jar: %s', (command, jvm) => {
    const result = parseHsperfdata(encode([['sun.rt.javaCommand', command || ' ']]));
    if (!result.ok) throw new Error(result.error);
    expect(jvmReading(result.counters).jvm).toBe(jvm);
  });
});
