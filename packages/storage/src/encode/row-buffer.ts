/**
 * Collects encoded rows into one Buffer. Rows are appended to a short string that is turned into
 * bytes every ~64 KB: keeping 50k row strings alive until a final `join` made V8 promote
 * thousands of rope strings out of the young generation, and GC made encoding 5× slower
 * (725 ms vs 147 ms for 50k spans, measured).
 */
const CHUNK_CHARS = 65_536;

export class RowBuffer {
  #chunk = '';
  readonly #buffers: Buffer[] = [];

  /** Appends one complete row (including its terminating newline). */
  push(row: string): void {
    this.#chunk += row;
    if (this.#chunk.length >= CHUNK_CHARS) {
      this.#buffers.push(Buffer.from(this.#chunk, 'utf8'));
      this.#chunk = '';
    }
  }

  /** All rows as one Buffer. */
  finish(): Buffer {
    if (this.#chunk.length > 0) this.#buffers.push(Buffer.from(this.#chunk, 'utf8'));
    this.#chunk = '';
    return this.#buffers.length === 1 ? this.#buffers[0]! : Buffer.concat(this.#buffers);
  }
}
