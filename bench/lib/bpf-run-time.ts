/**
 * The time the kernel spent running the BPF programs a set of processes holds, from the
 * kernel's own counters (`run_time_ns`, `run_cnt` in `/proc/<pid>/fdinfo/<fd>` of each program's
 * descriptor). The kernel keeps them only while `kernel.bpf_stats_enabled` is 1, which costs two
 * clock reads per program run; {@link enableBpfStats} turns it on and gives back a function that
 * restores the previous setting.
 *
 * This is the eBPF share of a traced workload's CPU, to the nanosecond and without the noise of
 * whole-machine CPU on a shared VM: it is charged to whatever process made the syscall.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const STATS_SWITCH = '/proc/sys/kernel/bpf_stats_enabled';

export interface BpfRunTime {
  /** Nanoseconds spent in the programs. */
  readonly ns: number;
  /** Times they ran. */
  readonly runs: number;
  /** Programs found. */
  readonly programs: number;
}

/** Turns the kernel's BPF run-time counters on; the result restores what was set before. */
export function enableBpfStats(): () => void {
  const before = readFileSync(STATS_SWITCH, 'utf8').trim();
  writeFileSync(STATS_SWITCH, '1');
  return () => writeFileSync(STATS_SWITCH, before);
}

/** Sums the counters of every BPF program `pids` hold open (processes gone count nothing). */
export function bpfRunTime(pids: readonly number[]): BpfRunTime {
  let ns = 0;
  let runs = 0;
  let programs = 0;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fdinfo`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let info: string;
      try {
        info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      } catch {
        continue;
      }
      if (!info.includes('prog_type:')) continue;
      const time = /^run_time_ns:\s*(\d+)/m.exec(info);
      const count = /^run_cnt:\s*(\d+)/m.exec(info);
      if (time === null || count === null) continue;
      ns += Number(time[1]);
      runs += Number(count[1]);
      programs++;
    }
  }
  return { ns, runs, programs };
}
