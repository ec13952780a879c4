/**
 * Follows one log file by polling: what is appended becomes lines; rotation and truncation are
 * noticed and survived.
 *
 * ```
 * first open: start at the end (only lines written from now on), or at 0 when asked
 * each poll:  read the open file from our offset to its end  ──► complete lines ──► onLines
 *             size < offset             → truncated (copytruncate): read again from 0
 *             the path names another    → rotated (rename + new file): the old file was read
 *             file (inode/device)         to its end above; open the new one and read it from 0
 *             the path is gone          → keep the old file open (it may still be written)
 * ```
 *
 * Lines are bounded: a line longer than `maxLineBytes` is cut there (the rest up to its newline
 * is dropped and counted), so a file without newlines cannot grow the agent's memory. A file that
 * does not exist yet is waited for and read from its start once it appears.
 *
 * File calls are synchronous: on local files they take microseconds, where each promise-based
 * call costs a thread-pool round trip, and a poll makes two or three of them per file (a node
 * has dozens of log files: as promises, this was most of the agent's CPU).
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export interface FileTailerOptions {
  readonly path: string;
  /** Where the first open starts (default `end`). */
  readonly startAt?: 'end' | 'start';
  /** Longest line kept (default 64 KiB); longer ones are cut. */
  readonly maxLineBytes?: number;
  /** Most bytes read per poll (default 4 MiB), so one busy file does not starve the others. */
  readonly maxBytesPerPoll?: number;
}

export interface TailerStats {
  readonly bytesRead: number;
  readonly lines: number;
  readonly truncatedLines: number;
  readonly rotations: number;
  readonly truncations: number;
}

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class FileTailer {
  readonly path: string;
  private readonly maxLineBytes: number;
  private readonly maxBytesPerPoll: number;
  private fd: number | undefined;
  private identity: { dev: number; ino: number } | undefined;
  private offset = 0;
  private opened = false;
  private startAtEnd: boolean;
  /** Bytes of the line being read (no newline yet). */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** The current line passed maxLineBytes: drop bytes until its newline. */
  private discarding = false;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private counts = { bytesRead: 0, lines: 0, truncatedLines: 0, rotations: 0, truncations: 0 };

  constructor(options: FileTailerOptions) {
    this.path = options.path;
    this.startAtEnd = (options.startAt ?? 'end') === 'end';
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024;
    this.maxBytesPerPoll = options.maxBytesPerPoll ?? 4 * 1024 * 1024;
  }

  /** Reads what is new; resolves with the complete lines (without their newline). Never rejects. */
  poll(): Promise<string[]> {
    return Promise.resolve(this.pollNow());
  }

  /** {@link poll}, synchronously. */
  pollNow(): string[] {
    const lines: string[] = [];
    try {
      if (this.fd === undefined && !this.openPath()) return lines;
      const fd = this.fd!;
      const { size } = fstatSync(fd);
      if (size < this.offset) {
        this.counts.truncations++;
        this.offset = 0;
        // The unfinished line was copied away with the rest before the truncation.
        this.flushPartial(lines);
      }
      const more = size > this.offset && this.readAvailable(fd, lines);
      if (!more) this.checkRotation(lines);
    } catch {
      // Unreadable now (permissions, I/O error): try again from scratch at the next poll.
      this.closeHandle();
    }
    return lines;
  }

  stats(): TailerStats {
    return { ...this.counts };
  }

  close(): Promise<void> {
    this.closeHandle();
    return Promise.resolve();
  }

  /** Opens the path; false when it does not exist (yet). */
  private openPath(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      this.startAtEnd = false;
      return false;
    }
    const info = fstatSync(fd);
    this.fd = fd;
    this.identity = { dev: info.dev, ino: info.ino };
    this.offset = !this.opened && this.startAtEnd ? info.size : 0;
    this.opened = true;
    this.resetPartial();
    return true;
  }

  /** Reads up to the end (or the per-poll cap); true when the cap stopped it. */
  private readAvailable(fd: number, lines: string[]): boolean {
    let readThisPoll = 0;
    for (;;) {
      if (readThisPoll >= this.maxBytesPerPoll) return true;
      const bytesRead = readSync(fd, this.buffer, 0, CHUNK_BYTES, this.offset);
      if (bytesRead === 0) return false;
      this.offset += bytesRead;
      readThisPoll += bytesRead;
      this.counts.bytesRead += bytesRead;
      this.split(this.buffer.subarray(0, bytesRead), lines);
    }
  }

  private checkRotation(lines: string[]): void {
    const info = statSync(this.path, { throwIfNoEntry: false });
    // Renamed away and not recreated yet: keep reading the old file.
    if (info === undefined) return;
    if (info.dev === this.identity?.dev && info.ino === this.identity.ino) return;
    // A new file under the name. Read the old one to its end once more (its writer may have
    // written between our read and the new file appearing); a line it left without a newline is
    // complete (its writer moved on).
    this.counts.rotations++;
    this.readAvailable(this.fd!, lines);
    this.flushPartial(lines);
    this.closeHandle();
    if (this.openPath()) this.readAvailable(this.fd!, lines);
  }

  private split(chunk: Buffer, lines: string[]): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) {
        this.keepPartial(chunk.subarray(start));
        return;
      }
      this.keepPartial(chunk.subarray(start, nl));
      if (this.discarding) this.discarding = false;
      this.flushPartial(lines);
      start = nl + 1;
    }
  }

  private keepPartial(bytes: Buffer): void {
    if (this.discarding || bytes.length === 0) return;
    const room = this.maxLineBytes - this.partialBytes;
    if (bytes.length > room) {
      // Copy: the read buffer is reused by the next read.
      this.partial.push(Buffer.from(bytes.subarray(0, room)));
      this.partialBytes += room;
      this.discarding = true;
      this.counts.truncatedLines++;
      return;
    }
    this.partial.push(Buffer.from(bytes));
    this.partialBytes += bytes.length;
  }

  private flushPartial(lines: string[]): void {
    if (this.partialBytes === 0) return;
    let text = Buffer.concat(this.partial, this.partialBytes).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    lines.push(text);
    this.counts.lines++;
    this.resetPartial();
  }

  private resetPartial(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.discarding = false;
  }

  private closeHandle(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
