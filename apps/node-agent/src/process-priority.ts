/**
 * The agent's CPU priority (`VIGIL_NODE_AGENT_NICE`, default 10): an observability agent should
 * wait for the CPU behind the workload it watches, not ahead of it. Its interval work (reading the
 * eBPF maps, building series, compressing and pushing) comes in bursts; at equal priority such a
 * burst delays the busy server threads it shares a core with and shows up in their tail latency.
 * A nice value only orders who runs first when both want the CPU: on an idle core the agent runs
 * at full speed, and the eBPF probes (run in the traced processes' own syscalls) are not affected.
 *
 * Linux keeps the nice value per thread, so every thread the process already has is set (V8's
 * and libuv's helpers included); threads and processes started later (bpftrace) inherit it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';

export const DEFAULT_AGENT_NICE = 10;

/**
 * `idle`: the SCHED_IDLE policy instead of a nice value. The scheduler then lets any other task
 * that wakes up take the CPU from the agent at once (with a nice value alone it may let the agent
 * finish its slice first), at the price of the agent getting almost no CPU on a saturated node.
 */
export const SCHED_IDLE = 'idle';

export type AgentPriority = number | typeof SCHED_IDLE;

/** VIGIL_NODE_AGENT_NICE: -20 to 19, `idle`, or `off` to leave the priority as started. */
export function readAgentNice(raw: string | undefined): AgentPriority | undefined {
  if (raw === undefined || raw.trim() === '') return DEFAULT_AGENT_NICE;
  if (raw === 'off') return undefined;
  if (raw === SCHED_IDLE) return SCHED_IDLE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new Error(
      `VIGIL_NODE_AGENT_NICE must be a whole number from -20 to 19, "idle" or "off", not "${raw}"`,
    );
  return n;
}

/**
 * Sets every thread of this process to `nice`; returns how many were set. A thread that is gone
 * by the time it is set is skipped; lowering the priority needs no privilege, raising it does.
 */
export function applyAgentNice(priority: AgentPriority): number {
  if (priority === SCHED_IDLE) return applySchedIdle();
  const nice = priority;
  let set = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      os.setPriority(Number(tid), nice);
      set += 1;
    } catch (err) {
      // A thread that ended since the listing is no error; anything else (EACCES) is.
      if ((err as { info?: { code?: string } }).info?.code !== 'ESRCH') throw err;
    }
  }
  return set;
}

/**
 * SCHED_IDLE for every thread, through util-linux's `chrt` (Node has no call for it); children
 * started later inherit it. Returns the number of threads.
 */
function applySchedIdle(): number {
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`VIGIL_NODE_AGENT_NICE=idle needs util-linux's chrt: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return readdirSync('/proc/self/task').length;
}
