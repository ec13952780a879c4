/**
 * Names of JIT-compiled code from a perf map, `/tmp/perf-<pid>.map`: Node.js started with
 * `--perf-basic-prof`, a JVM with perf-map-agent, and other runtimes write one line per piece of
 * code they generate,
 *
 * ```
 * 3ef414a0a000 1c JS:*burnCpu /app/burn.js:3
 * start (hex)  size (hex) name (the rest of the line)
 * ```
 *
 * Node.js only appends to it, so it is read incrementally (from where the last read stopped,
 * whole lines only). A JVM's map (perf-map-agent, `jcmd <pid> Compiler.perfmap`) is rewritten
 * whole instead: when the bytes at the start, or just before where the last read stopped, are no
 * longer those read then, the file is read again from the beginning. Code can be moved or freed
 * and its range reused: where entries overlap, the later one wins. At most `maxEntries` are kept
 * (the newest).
 */
import { open, type FileHandle } from 'node:fs/promises';

/** The largest part of a perf map read at once. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
/** Bytes compared to tell an appended file from a rewritten one. */
const MARK_BYTES = 64;

export class PerfMap {
  private starts: number[] = [];
  private ends: number[] = [];
  private names: string[] = [];
  /** Sorted view: indices into the arrays above by start, later entries after earlier ones. */
  private order: Uint32Array = new Uint32Array(0);
  private sorted = true;
  private readOffset = 0;
  private partial = '';
  /** The file's first bytes and the bytes before `readOffset`, as last read. */
  private head: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);

  constructor(
    readonly path: string,
    private readonly maxEntries = 500_000,
  ) {}

  get size(): number {
    return this.starts.length;
  }

  /** Reads what was appended since the last call; false when the file is not there. */
  async refresh(): Promise<boolean> {
    let file;
    try {
      file = await open(this.path, 'r');
    } catch {
      return false;
    }
    try {
      const { size } = await file.stat();
      if (size < this.readOffset || !(await this.unchanged(file))) this.reset();
      if (this.readOffset === size) return true;
      while (this.readOffset < size) {
        const length = Math.min(READ_CHUNK_BYTES, size - this.readOffset);
        const buf = Buffer.allocUnsafe(length);
        const { bytesRead } = await file.read(buf, 0, length, this.readOffset);
        if (bytesRead === 0) break;
        if (this.readOffset === 0) this.head = Buffer.from(buf.subarray(0, Math.min(MARK_BYTES, bytesRead)));
        this.readOffset += bytesRead;
        this.addText(this.partial + buf.toString('utf8', 0, bytesRead));
        this.tail = Buffer.from(buf.subarray(Math.max(0, bytesRead - MARK_BYTES), bytesRead));
      }
      return true;
    } finally {
      await file.close();
    }
  }

  /** Adds perf map text (whole lines; a trailing partial line waits for the rest). */
  addText(text: string): void {
    let pos = 0;
    for (;;) {
      const end = text.indexOf('\n', pos);
      if (end < 0) break;
      this.addLine(text, pos, end);
      pos = end + 1;
    }
    this.partial = text.slice(pos);
    if (this.starts.length > this.maxEntries) {
      const drop = this.starts.length - this.maxEntries;
      this.starts.splice(0, drop);
      this.ends.splice(0, drop);
      this.names.splice(0, drop);
    }
    this.sorted = false;
  }

  /** The name of the code holding `address`, or undefined. */
  lookup(address: number): string | undefined {
    if (!this.sorted) this.sort();
    const order = this.order;
    const starts = this.starts;
    let lo = 0;
    let hi = order.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[order[mid]!]! <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // The candidates are those starting at or before the address; the newest that covers it wins.
    let best = -1;
    for (let k = found; k >= 0 && found - k < 64; k--) {
      const i = order[k]!;
      if (this.ends[i]! > address && i > best) best = i;
    }
    return best < 0 ? undefined : this.names[best];
  }

  private addLine(text: string, from: number, to: number): void {
    const s1 = text.indexOf(' ', from);
    if (s1 < 0 || s1 >= to) return;
    const s2 = text.indexOf(' ', s1 + 1);
    if (s2 < 0 || s2 >= to) return;
    const start = parseInt(text.slice(from, s1), 16);
    const size = parseInt(text.slice(s1 + 1, s2), 16);
    if (!Number.isFinite(start) || !Number.isFinite(size)) return;
    this.starts.push(start);
    this.ends.push(start + size);
    this.names.push(text.slice(s2 + 1, to));
  }

  private sort(): void {
    const n = this.starts.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const starts = this.starts;
    order.sort((a, b) => starts[a]! - starts[b]! || a - b);
    this.order = order;
    this.sorted = true;
  }

  /** Whether the bytes read before are still there (else the file was rewritten). */
  private async unchanged(file: FileHandle): Promise<boolean> {
    if (this.readOffset === 0) return true;
    const same = async (mark: Buffer, at: number): Promise<boolean> => {
      const now = Buffer.alloc(mark.length);
      const { bytesRead } = await file.read(now, 0, mark.length, at);
      return bytesRead === mark.length && now.equals(mark);
    };
    return (await same(this.head, 0)) && (await same(this.tail, this.readOffset - this.tail.length));
  }

  private reset(): void {
    this.starts = [];
    this.ends = [];
    this.names = [];
    this.order = new Uint32Array(0);
    this.readOffset = 0;
    this.partial = '';
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
  }
}
