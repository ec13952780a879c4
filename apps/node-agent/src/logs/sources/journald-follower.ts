/**
 * Follows journald from now on with `journalctl -o json -f -n 0` (one JSON object per entry) and
 * hands each entry of a systemd unit to `onEntry`. journalctl is restarted if it exits (back-off
 * 1 s → 30 s) and stopped with the agent.
 *
 * Entry fields used: `MESSAGE` (a string, or an array of bytes when not valid UTF-8),
 * `PRIORITY` (syslog 0–7), `_SYSTEMD_UNIT`, `_SYSTEMD_SLICE`, `__REALTIME_TIMESTAMP` (µs since the
 * epoch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '@vigil/core';
import { parseJsonObject } from '../formats/json-object.ts';

export interface JournalEntry {
  readonly unit: string;
  /** `_SYSTEMD_SLICE`, '' when absent (names the container of a unit in a sub-slice). */
  readonly slice: string;
  readonly message: string;
  /** undefined when the entry has none. */
  readonly priority: number | undefined;
  readonly timestampMs: number;
}

export interface JournaldFollowerOptions {
  readonly onEntry: (entry: JournalEntry) => void;
  readonly logger: Logger;
  readonly journalctl?: string;
}

const FIELDS = 'MESSAGE,PRIORITY,_SYSTEMD_UNIT,_SYSTEMD_SLICE';

export class JournaldFollower {
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  entries = 0;

  constructor(private readonly options: JournaldFollowerOptions) {}

  start(): void {
    if (this.stopping) return;
    const child = spawn(
      this.options.journalctl ?? 'journalctl',
      ['-o', 'json', '-f', '-n', '0', '--no-pager', `--output-fields=${FIELDS}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const entry = parseJournalEntry(line);
      if (entry === undefined) return;
      this.entries++;
      this.failures = 0;
      this.options.onEntry(entry);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => this.options.logger.warn({ err: err.message }, 'journalctl failed to start'));
    child.on('close', (code) => {
      this.child = undefined;
      if (this.stopping) return;
      const delayMs = Math.min(30_000, 1000 * 2 ** Math.min(this.failures++, 5));
      this.options.logger.warn({ code, stderr: stderr.trim(), delayMs }, 'journalctl exited; restarting');
      this.restartTimer = setTimeout(() => this.start(), delayMs);
      this.restartTimer.unref();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

/** One `journalctl -o json` line → entry; undefined without a unit or a message. */
export function parseJournalEntry(line: string): JournalEntry | undefined {
  const fields = parseJsonObject(line);
  if (fields === undefined) return undefined;
  const unit = fields._SYSTEMD_UNIT;
  if (typeof unit !== 'string' || unit === '') return undefined;
  const raw = fields.MESSAGE;
  let message: string;
  if (typeof raw === 'string') message = raw;
  else if (Array.isArray(raw) && raw.every((b) => typeof b === 'number')) {
    message = Buffer.from(raw as number[]).toString('utf8');
  } else return undefined;
  const priority = Number(fields.PRIORITY);
  const micros = Number(fields.__REALTIME_TIMESTAMP);
  const slice = fields._SYSTEMD_SLICE;
  return {
    unit,
    slice: typeof slice === 'string' ? slice : '',
    message: message.replace(/\n+$/, ''),
    priority: typeof fields.PRIORITY === 'string' && Number.isInteger(priority) ? priority : undefined,
    timestampMs: Number.isFinite(micros) && micros > 0 ? Math.floor(micros / 1000) : Date.now(),
  };
}
