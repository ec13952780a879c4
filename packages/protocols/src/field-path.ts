/**
 * The position of a decoder inside nested repeated messages, kept as a stack so that entering and
 * leaving a message costs two array writes. The readable form
 * (`resourceSpans[0].scopeSpans[1].spans[3].traceId`) is built only when an error is reported,
 * so the hot path never allocates a path string.
 */
export class FieldPath {
  private readonly names: string[] = [];
  private readonly indices: number[] = [];
  private depth = 0;

  /** Enters field `name`; `index` is the element index for repeated fields, -1 otherwise. */
  push(name: string, index = -1): void {
    this.names[this.depth] = name;
    this.indices[this.depth] = index;
    this.depth++;
  }

  pop(): void {
    this.depth--;
  }

  /** Renders the current path, optionally followed by a leaf field name. */
  render(leaf?: string): string {
    let out = '';
    for (let i = 0; i < this.depth; i++) {
      if (i > 0) out += '.';
      out += this.names[i];
      const index = this.indices[i] ?? -1;
      if (index >= 0) out += `[${index}]`;
    }
    if (leaf !== undefined && leaf !== '') out += out === '' ? leaf : `.${leaf}`;
    return out;
  }
}
