/**
 * CPU per record of the OTLP/protobuf decoders alone (no HTTP, no storage): the JS share of the
 * ingest path that `ingest-traces`/`ingest-logs` measure as a whole. Two paths per signal: the
 * server's (straight into Native column chunks, @vigil/storage) and the record decoders of
 * @vigil/protocols followed by the record → chunk encoder (what the server did before, and still
 * does for OTLP/JSON). 20 bodies of generator data
 * (1000 spans or 2000 log records each), decoded 10 times per round, 3 rounds; the first round
 * includes JIT warm-up. Run: node --import tsx bench/decode-otlp.ts
 */
import { decodeLogsProtobuf, decodeTracesProtobuf } from '@vigil/protocols';
import { decodeLogsChunk, decodeSpansChunk, logChunkFromRecords, spanChunkFromRecords } from '@vigil/storage';
import { encodeLogsRequest, encodeTracesRequest, syntheticLogs, syntheticSpans } from '@vigil/testkit';

const nowNs = BigInt(Date.now()) * 1_000_000n;
const spanBodies = Array.from({ length: 20 }, (_, i) =>
  encodeTracesRequest(syntheticSpans(1000, i + 1, nowNs)),
);
const logBodies = Array.from({ length: 20 }, (_, i) => encodeLogsRequest(syntheticLogs(2000, i + 1, nowNs)));
const cases = [
  { name: 'spans → chunk', bodies: spanBodies, decode: (b: Uint8Array) => decodeSpansChunk(b).rows },
  {
    name: 'spans → records → chunk',
    bodies: spanBodies,
    decode: (b: Uint8Array) => spanChunkFromRecords(decodeTracesProtobuf(b)).rows,
  },
  { name: 'logs → chunk', bodies: logBodies, decode: (b: Uint8Array) => decodeLogsChunk(b).rows },
  {
    name: 'logs → records → chunk',
    bodies: logBodies,
    decode: (b: Uint8Array) => logChunkFromRecords(decodeLogsProtobuf(b)).rows,
  },
];

for (const c of cases) {
  for (let round = 1; round <= 3; round++) {
    const before = process.cpuUsage();
    let items = 0;
    for (let k = 0; k < 10; k++) for (const body of c.bodies) items += c.decode(body);
    const used = process.cpuUsage(before);
    const usPerItem = (used.user + used.system) / items;
    console.log(
      `${c.name.padEnd(24)} round ${round}: ${usPerItem.toFixed(2)} µs CPU per record (${items} decoded)`,
    );
  }
}
