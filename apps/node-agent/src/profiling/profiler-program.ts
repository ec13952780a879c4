/**
 * The bpftrace program behind CPU profiling: a perf-event probe samples whatever runs on each
 * CPU `hz` times a second and counts (pid, user stack, kernel stack) in a kernel map; an interval
 * probe prints and clears the map every `dumpSeconds`, so kernel memory stays bounded and a
 * process that exits is still symbolised moments later (its /proc/<pid>/maps read from the cache
 * of the previous rounds, see symbolizer.ts). User space adds the rounds up into 60 s profiles.
 *
 * bpftrace 0.17 has no `ustack(raw)`; with `BPFTRACE_NO_USER_SYMBOLS=1` the `perf` stack mode
 * prints user frames as bare addresses (`\t7f1e…f16 0x7f1e…f16 ([unknown])`), so bpftrace keeps
 * no per-process symbol tables. Kernel frames are always named by bpftrace (from kallsyms,
 * loaded once), e.g. `\tffffffff821f94c3 schedule+35`.
 *
 * Stack maps are never cleared (bpftrace gives no way to), and bpftrace asks for stack ids
 * without BPF_F_REUSE_STACKID: once a bucket holds a stack, a different stack hashing there is
 * not recorded (it comes out empty, `[unknown]`). node-profiling.ts therefore restarts bpftrace
 * now and then (hourly by default), which starts the maps afresh.
 *
 * As for the TCP program, the counts live in two copies written by turns: the interval probe
 * flips `@epoch`, then prints and clears the copy just retired, so nothing sampled while it is
 * read is lost. `@comm` (pid → comm) helps name processes that are gone by the time a round is
 * read. Every round ends with the {@link PROFILER_ROUND} line, which is also the heartbeat that
 * makes bpftrace exit if the agent dies. The idle task (pid 0), bpftrace itself (its pid taken
 * in `BEGIN`, which runs in bpftrace) and the agent's pid are not sampled.
 */

export interface ProfilerProgramOptions {
  /** Samples per second on each CPU. */
  readonly hz: number;
  /** How often the counts are printed and cleared. */
  readonly dumpSeconds: number;
  /** Pids never sampled (the agent's). */
  readonly excludePids: readonly number[];
  /** Whether to take kernel stacks (bpftrace then loads kallsyms: ~12 MB more RSS). */
  readonly kernelStacks: boolean;
  /** Deepest user stack kept, innermost frames first (default 64; perf's limit is 127). */
  readonly userStackDepth?: number;
  /** Deepest kernel stack kept (default 32). */
  readonly kernelStackDepth?: number;
}

/**
 * bpftrace 0.17 sizes each stack map at a fixed 131,072 entries of `depth × 8` bytes, allocated
 * in kernel memory at start (128 MiB for 127-deep user stacks): the depths are the knob.
 */
export const DEFAULT_USER_STACK_DEPTH = 64;
export const DEFAULT_KERNEL_STACK_DEPTH = 32;

/** What `BEGIN` prints once the probes are attached. */
export const PROFILER_READY = 'P';
/** What ends each round of map dumps. */
export const PROFILER_ROUND = 'R';
/** The two copies of the sample counts, and the pid → comm map. */
export const STACK_MAPS = ['@s0', '@s1'] as const;
export const COMM_MAP = '@comm';

/** The program's text; `hz` and `dumpSeconds` must be positive whole numbers. */
export function profilerProgram(options: ProfilerProgramOptions): string {
  for (const [name, value] of [
    ['hz', options.hz],
    ['dumpSeconds', options.dumpSeconds],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  }
  const excluded = options.excludePids
    .filter((p) => Number.isSafeInteger(p) && p > 0)
    .map((p) => ` && pid != ${p}`)
    .join('');
  const depth = (value: number | undefined, fallback: number): number => {
    const d = value ?? fallback;
    if (!Number.isSafeInteger(d) || d < 1 || d > 127) throw new Error('stack depths are 1…127');
    return d;
  };
  const ustack = `ustack(perf, ${depth(options.userStackDepth, DEFAULT_USER_STACK_DEPTH)})`;
  const kstack = options.kernelStacks
    ? `, kstack(perf, ${depth(options.kernelStackDepth, DEFAULT_KERNEL_STACK_DEPTH)})`
    : '';
  const key = `pid, ${ustack}${kstack}`;
  return `
BEGIN { @self = pid; @epoch = 0; printf("${PROFILER_READY}\\n"); }

profile:hz:${options.hz} /pid != 0 && pid != @self${excluded}/ {
  if (@epoch == 0) { @s0[${key}] = count(); } else { @s1[${key}] = count(); }
  @comm[pid] = comm;
}

interval:s:${options.dumpSeconds} {
  @epoch = 1 - @epoch;
  if (@epoch == 1) { print(@s0); clear(@s0); } else { print(@s1); clear(@s1); }
  print(@comm); clear(@comm);
  printf("${PROFILER_ROUND}\\n");
}

END { clear(@s0); clear(@s1); clear(@comm); clear(@self); clear(@epoch); }
`;
}
