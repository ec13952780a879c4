import { tsvMap } from '../src/encode/tsv.ts';
import { syntheticSpans } from '../src/synthetic.ts';
const spans = syntheticSpans(50000, 1);
const time = (name: string, f: () => unknown) => { f(); const t0 = performance.now(); for (let i = 0; i < 5; i++) f(); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms'); };
time('array+join', () => { const parts = spans.map((s) => tsvMap(s.attributes) + tsvMap(s.resourceAttributes) + '\n'); return Buffer.from(parts.join('')); });
time('chunked', () => {
  const bufs: Buffer[] = []; let chunk = '';
  for (const s of spans) { chunk += tsvMap(s.attributes) + tsvMap(s.resourceAttributes) + '\n'; if (chunk.length > 65536) { bufs.push(Buffer.from(chunk)); chunk = ''; } }
  bufs.push(Buffer.from(chunk)); return Buffer.concat(bufs);
});
time('writer', () => {
  let buf = Buffer.allocUnsafe(1 << 20); let pos = 0;
  const w = (s: string) => { if (pos + s.length * 3 > buf.length) { const nb = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + s.length * 3)); buf.copy(nb, 0, 0, pos); buf = nb; } pos += buf.utf8Write(s, pos); };
  for (const s of spans) { w(tsvMap(s.attributes) + tsvMap(s.resourceAttributes) + '\n'); }
  return buf.subarray(0, pos);
});
