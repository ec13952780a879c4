/**
 * A reader of HotSpot's performance-data files (`/tmp/hsperfdata_<user>/<pid>`): the JVM keeps
 * its counters (`sun.gc.*`, `sun.rt.*`, `java.property.*`, …) in this small memory-mapped file
 * unless started with `-XX:-UsePerfData`, and `jstat` reads them from there. The agent reads the
 * whole file once per interval and decodes it here.
 *
 * ```
 * prologue (32 bytes)                       entry (20-byte header, then name and data)
 *  0 magic 0xcafec0c0 (always big-endian)    0 entry length (to the next entry)
 *  4 byte order: 0 big, 1 little             4 name offset (from the entry's start)
 *  5 major version   6 minor version         8 vector length (0: a scalar)
 *  7 accessible (0 while the JVM starts)    12 data type: 'J' long, 'B' byte vector (string)
 *  8 bytes used     12 overflow             13 flags  14 units  15 variability
 * 16 modification time stamp (long)         16 data offset (from the entry's start)
 * 24 entry offset  28 number of entries
 * ```
 *
 * The JVM appends entries while it runs (the count in the prologue is written last), so a read
 * that races with it sees a consistent prefix. A file cut short (the JVM still creating it, a
 * read of a partial copy) is reported as an error rather than decoded half way.
 */

const MAGIC = 0xcafec0c0;
const PROLOGUE_BYTES = 32;
const ENTRY_HEADER_BYTES = 20;
const TYPE_LONG = 0x4a; // 'J'
const TYPE_BYTE = 0x42; // 'B'

export type PerfCounters = ReadonlyMap<string, number | string>;

export type HsperfdataResult =
  { readonly ok: true; readonly counters: PerfCounters } | { readonly ok: false; readonly error: string };

/** Decodes one hsperfdata file's bytes into counter name → number or string. */
export function parseHsperfdata(buf: Buffer): HsperfdataResult {
  if (buf.length < PROLOGUE_BYTES) {
    return fail(`truncated: ${buf.length} bytes, the prologue alone takes ${PROLOGUE_BYTES}`);
  }
  const magic = buf.readUInt32BE(0);
  if (magic !== MAGIC) return fail(`bad magic 0x${magic.toString(16)} (expected 0xcafec0c0)`);
  const littleEndian = buf.readUInt8(4) === 1;
  const major = buf.readUInt8(5);
  if (major !== 2) return fail(`unsupported version ${major}.${buf.readUInt8(6)} (expected 2.x)`);
  if (buf.readUInt8(7) === 0) return fail('not accessible yet (the JVM is still starting)');
  const int32 = (offset: number): number =>
    littleEndian ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
  const used = int32(8);
  const entryOffset = int32(24);
  const entries = int32(28);
  if (used > buf.length)
    return fail(`truncated: ${buf.length} bytes of the ${used} the prologue says are used`);
  if (entryOffset < PROLOGUE_BYTES || entries < 0) {
    return fail(`corrupt prologue (entry offset ${entryOffset}, ${entries} entries)`);
  }

  const counters = new Map<string, number | string>();
  let at = entryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + ENTRY_HEADER_BYTES > buf.length) {
      return fail(`truncated: entry ${i} of ${entries} starts at ${at}, the file has ${buf.length} bytes`);
    }
    const entryBytes = int32(at);
    const nameOffset = int32(at + 4);
    const vectorLength = int32(at + 8);
    const type = buf.readUInt8(at + 12);
    const dataOffset = int32(at + 16);
    const end = at + entryBytes;
    if (
      entryBytes < ENTRY_HEADER_BYTES ||
      end > buf.length ||
      nameOffset >= entryBytes ||
      dataOffset > entryBytes
    ) {
      return fail(
        `truncated or corrupt entry ${i} at ${at} (length ${entryBytes}, file ${buf.length} bytes)`,
      );
    }
    const nameEnd = buf.indexOf(0, at + nameOffset);
    const name = buf.toString('latin1', at + nameOffset, nameEnd < 0 || nameEnd > end ? end : nameEnd);
    const data = at + dataOffset;
    if (type === TYPE_LONG && vectorLength === 0 && data + 8 <= end) {
      const value = littleEndian ? buf.readBigInt64LE(data) : buf.readBigInt64BE(data);
      counters.set(name, Number(value));
    } else if (type === TYPE_BYTE && vectorLength > 0) {
      const stop = Math.min(data + vectorLength, end);
      const zero = buf.indexOf(0, data);
      counters.set(name, buf.toString('utf8', data, zero < 0 || zero > stop ? stop : zero));
    }
    // Other types (vectors of longs, chars…) carry nothing the agent reports.
    at = end;
  }
  return { ok: true, counters };
}

function fail(error: string): HsperfdataResult {
  return { ok: false, error: `hsperfdata: ${error}` };
}
