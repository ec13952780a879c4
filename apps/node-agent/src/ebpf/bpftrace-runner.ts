/**
 * Runs one bpftrace program as a child process (`bpftrace -f json -e <program>`, or its compiled
 * form under `bpftrace-aotrt`) and hands its output to the caller line by line: `printf` lines,
 * map dumps and lost-event reports. If bpftrace exits while the agent runs, it is started again
 * after a back-off (1 s doubling to 30 s, reset once a run has lasted a minute); `stop()` ends it
 * (SIGINT, then SIGKILL after 3 s). If the agent itself dies, bpftrace's next write to the closed
 * pipe ends it: programs should print at least every few seconds (tcp-program.ts prints a
 * heartbeat).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BpftraceHandlers {
  /** One `printf` line, without its newline. */
  onPrintf(line: string): void;
  /**
   * A map dump: `@name` and its entries (keys as bpftrace printed them, values numbers or, for
   * tuples, arrays), or the value itself for a map without keys.
   */
  onMap?(name: string, entries: unknown): void;
  /**
   * bpftrace started, probes attached (`readyLine` printed, if the options name one);
   * `restarted` when this is not the first run.
   */
  onAttached?(probes: number, restarted: boolean): void;
  /** Each start after the first begins with fresh kernel maps. */
  onExit?(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): void;
}

export interface BpftraceStatus {
  readonly running: boolean;
  readonly attached: boolean;
  readonly starts: number;
  /** Events the kernel dropped because bpftrace's perf buffer was full. */
  readonly lostEvents: number;
  readonly lastError: string | undefined;
}

export interface BpftraceRunnerOptions {
  readonly program: string;
  readonly binary?: string;
  /**
   * Run this compiled form of `program` with its runtime (`bpftrace-aotrt <file>`, see
   * bpftrace-aot.ts) instead of `bpftrace -e`; `mapKeysMax` then does not apply.
   */
  readonly compiled?: { readonly runtime: string; readonly file: string };
  /**
   * A line the program prints from `BEGIN`, which bpftrace runs once every probe is attached.
   * bpftrace announces its probes (`attached_probes`) before attaching them, so without such a
   * line events in the first moments after that announcement may be missed.
   */
  readonly readyLine?: string;
  /**
   * Largest number of keys per map (BPFTRACE_MAP_KEYS_MAX; bpftrace's own default 4096 is small
   * for busy nodes). bpftrace allocates every map at full size in kernel memory, a per-CPU map
   * once per CPU: the cost is paid whether the node is busy or not.
   */
  readonly mapKeysMax?: number;
  /** More environment for bpftrace (e.g. BPFTRACE_NO_USER_SYMBOLS for the profiler). */
  readonly env?: Readonly<Record<string, string>>;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export class BpftraceRunner {
  private child: ChildProcess | undefined;
  private stopped = false;
  private starts = 0;
  private attached = false;
  private probes = 0;
  private lostEvents = 0;
  private lastError: string | undefined;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: BpftraceRunnerOptions,
    private readonly handlers: BpftraceHandlers,
  ) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
  }

  start(): void {
    this.stopped = false;
    this.spawnOnce();
  }

  status(): BpftraceStatus {
    return {
      running: this.child !== undefined,
      attached: this.attached,
      starts: this.starts,
      lostEvents: this.lostEvents,
      lastError: this.lastError,
    };
  }

  /** The child's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined) return;
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(killer);
  }

  private spawnOnce(): void {
    const startedAt = Date.now();
    const restarted = this.starts > 0;
    this.starts++;
    this.attached = false;
    const { compiled } = this.options;
    const [command, args] =
      compiled === undefined
        ? [this.options.binary ?? 'bpftrace', ['-f', 'json', '-e', this.options.program]]
        : [compiled.runtime, ['-f', 'json', compiled.file]];
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPFTRACE_MAP_KEYS_MAX: String(this.options.mapKeysMax ?? 16_384),
        // bpftrace's compiler (LLVM) frees most of what it allocated once the program is loaded;
        // one glibc arena that returns freed memory keeps ~4.5 MB of it from staying resident.
        MALLOC_ARENA_MAX: '1',
        MALLOC_TRIM_THRESHOLD_: '131072',
        MALLOC_MMAP_THRESHOLD_: '131072',
        ...this.options.env,
      },
    });
    this.child = child;
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => this.dispatch(line, restarted));
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        this.lastError = `bpftrace could not be started: ${err.message}`;
      });
      child.once('close', (code, signal) => {
        this.child = undefined;
        this.attached = false;
        const tail = meaningful(stderr);
        if (!this.stopped) {
          this.lastError = `bpftrace exited (${signal ?? `code ${code}`})${tail === '' ? '' : `: ${tail}`}`;
        }
        this.handlers.onExit?.(code, signal, tail);
        if (!this.stopped) {
          if (Date.now() - startedAt > 60_000) this.backoffMs = this.options.initialBackoffMs ?? 1000;
          this.restartTimer = setTimeout(() => this.spawnOnce(), this.backoffMs);
          this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
        }
        resolve();
      });
    });
  }

  private markAttached(restarted: boolean): void {
    this.attached = true;
    this.handlers.onAttached?.(this.probes, restarted);
  }

  private dispatch(line: string, restarted: boolean): void {
    let message: { type?: string; data?: unknown };
    try {
      message = JSON.parse(line) as { type?: string; data?: unknown };
    } catch {
      return; // bpftrace prints a few non-JSON notices; nothing to act on
    }
    switch (message.type) {
      case 'printf': {
        const text = message.data as string;
        const line = text.endsWith('\n') ? text.slice(0, -1) : text;
        if (line === this.options.readyLine && !this.attached) this.markAttached(restarted);
        else this.handlers.onPrintf(line);
        break;
      }
      case 'map': {
        const data = message.data as Record<string, unknown>;
        for (const [name, entries] of Object.entries(data)) this.handlers.onMap?.(name, entries);
        break;
      }
      case 'attached_probes':
        this.probes = (message.data as { probes: number }).probes;
        if (this.options.readyLine === undefined) this.markAttached(restarted);
        break;
      case 'lost_events':
        this.lostEvents += (message.data as { events: number }).events;
        break;
      default:
        break;
    }
  }
}

/** bpftrace's stderr without the harmless RLIMIT_MEMLOCK and arithmetic-sign warnings. */
function meaningful(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !/RLIMIT_MEMLOCK|WARNING|^\s|~/.test(l))
    .join(' ')
    .slice(-500);
}
