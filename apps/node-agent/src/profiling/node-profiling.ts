/**
 * What the agent starts for continuous CPU profiling: the profiler's own bpftrace program
 * (profiler-program.ts) under a BpftraceRunner, the symbolizer and the aggregator, and, when
 * the agent pushes, the profile shipper with its own spool (`<data dir>/profiles-spool`, beside
 * the metrics spool).
 *
 * ```
 * bpftrace (profile:hz) ─ every dumpSeconds ─► ProfileAggregator.addRound (symbolize, per container)
 * every periodMs ─► take() ─► one gzipped pprof per container ─► ProfileShipper ─► POST /v1/profiles
 * ```
 *
 * `startNodeProfiling` resolves once the probes are attached, or with the reason profiling is
 * unavailable (not root, no bpftrace, bpftrace refused the program).
 */
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import {
  openDiskSpool,
  ProfileShipper,
  type ProfileShipperStats,
  spoolBeside,
  type PushTarget,
} from '@vigil/agent-kit';
import { errorMessage, type Logger } from '@vigil/core';
import { BpftraceRunner, type BpftraceStatus } from '../ebpf/bpftrace-runner.ts';
import { ProfileAggregator } from './profile-aggregator.ts';
import { COMM_MAP, PROFILER_READY, PROFILER_ROUND, profilerProgram, STACK_MAPS } from './profiler-program.ts';
import { Symbolizer, type SymbolizerStats } from './symbolizer.ts';

const run = promisify(execFile);

export const DEFAULT_PROFILING_HZ = 99;
export const DEFAULT_PROFILING_PERIOD_MS = 60_000;
export const DEFAULT_PROFILING_DUMP_SECONDS = 10;

export interface NodeProfilingOptions {
  readonly logger: Logger;
  readonly version: string;
  /** The container of a process (ContainerRegistry.containerOf). */
  readonly containerOf: (pid: number, comm: string) => string;
  /** The application of a container: the profile's `service.name`. */
  readonly appIdOf: (containerId: string) => string;
  /** Undefined: profile without sending (status only; the benchmark). */
  /** Where to send; the spool is beside the metrics spool. */
  readonly push?: PushTarget;
  /** One profile per container per period (default 60 s). */
  readonly periodMs?: number;
  /** Samples per second per CPU (default 99: off the beat of 100 Hz timers). */
  readonly hz?: number;
  /** How often bpftrace prints and clears its counts (default 10 s). */
  readonly dumpSeconds?: number;
  /** Whether to take kernel stacks too (default true). */
  readonly kernelStacks?: boolean;
  /** Deepest stacks kept (default 64 user, 32 kernel frames; see profiler-program.ts). */
  readonly userStackDepth?: number;
  readonly kernelStackDepth?: number;
  /**
   * bpftrace is restarted after a round once it has run this long (default 1 h), to start its
   * never-cleared stack maps afresh (see profiler-program.ts). 0: never.
   */
  readonly restartEveryMs?: number;
  /** Entries per kernel map (default 8192; see BpftraceRunnerOptions.mapKeysMax). */
  readonly mapKeysMax?: number;
  readonly bpftrace?: string;
  /** How long to wait for bpftrace to attach (default 60 s: LLVM compiles the program first). */
  readonly attachTimeoutMs?: number;
}

export interface NodeProfilingStatus {
  readonly bpftrace: BpftraceStatus & { readonly pid: number | undefined };
  readonly rounds: number;
  /** Planned restarts of bpftrace (see `restartEveryMs`). */
  readonly restarts: number;
  readonly samples: number;
  readonly truncatedSamples: number;
  readonly heldStacks: number;
  readonly profilesTaken: number;
  readonly lastRoundError: string | undefined;
  readonly symbolizer: SymbolizerStats;
  readonly push?: ProfileShipperStats;
}

export interface NodeProfiling {
  status(): NodeProfilingStatus;
  /**
   * Waits for bpftrace's next round of counts, then ends the period now: its profiles are on
   * disk (or counted as lost) when this resolves (tests; the period timer does it too).
   */
  flush(): Promise<void>;
  /** Stops bpftrace, sends what the period holds to the spool, stops the sender. */
  stop(): Promise<void>;
}

export type StartNodeProfilingResult =
  { readonly profiling: NodeProfiling } | { readonly unavailable: string };

export async function startNodeProfiling(options: NodeProfilingOptions): Promise<StartNodeProfilingResult> {
  if (process.getuid?.() !== 0) return { unavailable: 'not running as root' };
  const binary = options.bpftrace ?? 'bpftrace';
  try {
    await run(binary, ['--version'], { timeout: 10_000 });
  } catch {
    return { unavailable: `${binary} is not installed (Debian/Ubuntu/RHEL package "bpftrace")` };
  }
  const logger = options.logger.child({ component: 'profiling' });
  const hz = options.hz ?? DEFAULT_PROFILING_HZ;
  const dumpSeconds = options.dumpSeconds ?? DEFAULT_PROFILING_DUMP_SECONDS;
  const periodMs = options.periodMs ?? DEFAULT_PROFILING_PERIOD_MS;
  const host = hostname();
  const symbolizer = new Symbolizer();
  const aggregator = new ProfileAggregator({ symbolizer, hz, containerOf: options.containerOf });

  let shipper: ProfileShipper | undefined;
  if (options.push !== undefined) {
    const spool = await openDiskSpool(spoolBeside(options.push, 'profiles-spool'), {
      maxBytes: options.push.spoolMaxBytes,
      logger,
    });
    shipper = new ProfileShipper({
      collectorUrl: options.push.collectorUrl,
      apiKey: options.push.apiKey,
      spool,
      logger: logger.child({ component: 'profile-shipper' }),
      version: options.version,
      backoff: options.push.backoff,
    });
  }

  let rounds = 0;
  let restarts = 0;
  let profilesTaken = 0;
  let lastRoundError: string | undefined;
  let stacks: Record<string, unknown> = {};
  let comms: Record<string, unknown> = {};
  let processing: Promise<void> = Promise.resolve();
  let roundWaiters: Array<() => void> = [];
  let runnerStartedMs = Date.now();
  let restarting: Promise<void> | undefined;
  let stopped = false;
  const restartEveryMs = options.restartEveryMs ?? 3_600_000;

  const onRound = (): void => {
    const roundStacks = stacks;
    const roundComms = comms;
    stacks = {};
    comms = {};
    processing = processing
      .then(() => aggregator.addRound(roundStacks, roundComms))
      .catch((err: unknown) => {
        lastRoundError = errorMessage(err);
        logger.warn({ err: lastRoundError }, 'could not read a round of profiling samples');
      })
      .then(() => {
        rounds++;
        const waiters = roundWaiters;
        roundWaiters = [];
        for (const w of waiters) w();
      });
    // Right after a round, so that only the restart's own seconds go unsampled.
    if (restartEveryMs > 0 && restarting === undefined && Date.now() - runnerStartedMs >= restartEveryMs) {
      restarts++;
      restarting = runner
        .stop()
        .then(() => {
          if (!stopped) runner.start();
        })
        .finally(() => (restarting = undefined));
    }
  };

  let attached!: (error: string | undefined) => void;
  const firstAttach = new Promise<string | undefined>((resolve) => (attached = resolve));
  const runner = new BpftraceRunner(
    {
      program: profilerProgram({
        hz,
        dumpSeconds,
        excludePids: [process.pid],
        kernelStacks: options.kernelStacks ?? true,
        ...(options.userStackDepth === undefined ? {} : { userStackDepth: options.userStackDepth }),
        ...(options.kernelStackDepth === undefined ? {} : { kernelStackDepth: options.kernelStackDepth }),
      }),
      binary,
      readyLine: PROFILER_READY,
      mapKeysMax: options.mapKeysMax ?? 8192,
      // User frames as bare addresses, no per-process symbol tables in bpftrace: symbolizer.ts
      // names them.
      env: { BPFTRACE_NO_USER_SYMBOLS: '1' },
    },
    {
      onPrintf: (line) => {
        if (line === PROFILER_ROUND) onRound();
      },
      onMap: (name, entries) => {
        if (typeof entries !== 'object' || entries === null) return;
        if ((STACK_MAPS as readonly string[]).includes(name)) stacks = entries as Record<string, unknown>;
        else if (name === COMM_MAP) comms = entries as Record<string, unknown>;
      },
      onAttached: (_probes, restarted) => {
        runnerStartedMs = Date.now();
        if (restarted) logger.debug({}, 'profiler bpftrace restarted');
        attached(undefined);
      },
      onExit: (code, signal, stderrTail) =>
        attached(`bpftrace exited (${signal ?? `code ${code}`}): ${stderrTail}`),
    },
  );
  runner.start();

  const attachTimeoutMs = options.attachTimeoutMs ?? 60_000;
  let timeout: NodeJS.Timeout | undefined;
  const error = await Promise.race([
    firstAttach,
    new Promise<string>((resolve) => {
      timeout = setTimeout(
        () => resolve(`bpftrace did not attach within ${attachTimeoutMs} ms`),
        attachTimeoutMs,
      );
    }),
  ]);
  clearTimeout(timeout);
  if (error !== undefined) {
    await runner.stop();
    await shipper?.stop();
    return { unavailable: error };
  }

  let closing: Promise<void> = Promise.resolve();
  const closePeriod = (): Promise<void> => {
    closing = closing.then(async () => {
      await processing;
      const profiles = aggregator.take();
      const nowMs = Date.now();
      for (const p of profiles) {
        profilesTaken++;
        await shipper?.ship(
          {
            'service.name': options.appIdOf(p.containerId),
            'container.id': p.containerId,
            'host.name': host,
          },
          p.pprof,
          nowMs,
        );
      }
    });
    // A failed period (appIdOf threw) is logged; the next one starts on a clean chain.
    closing = closing.catch((err: unknown) => {
      logger.warn({ err: errorMessage(err) }, 'could not close a profiling period');
    });
    return closing;
  };
  const periodTimer = setInterval(() => void closePeriod(), periodMs);
  periodTimer.unref();

  const nextRound = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, (dumpSeconds * 2 + 5) * 1000);
      roundWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const profiling: NodeProfiling = {
    status: () => ({
      bpftrace: { ...runner.status(), pid: runner.pid },
      rounds,
      restarts,
      samples: aggregator.totalSamples,
      truncatedSamples: aggregator.truncatedSamples,
      heldStacks: aggregator.heldStacks,
      profilesTaken,
      lastRoundError,
      symbolizer: symbolizer.stats(),
      ...(shipper === undefined ? {} : { push: shipper.stats() }),
    }),
    flush: async () => {
      await nextRound();
      await closePeriod();
    },
    stop: async () => {
      stopped = true;
      clearInterval(periodTimer);
      await restarting;
      await runner.stop();
      await closePeriod();
      symbolizer.close();
      await shipper?.stop();
    },
  };
  return { profiling };
}
