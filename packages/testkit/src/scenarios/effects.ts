/**
 * Faults and other changes a scenario injects, each active over `[fromMs, untilMs)` (until the
 * end of the window when omitted). The same kinds serve as the injected cause and as the
 * distractors around it: a distractor is just an effect on something unrelated, or at another
 * time.
 */
import type { CallState, StepState } from './system.ts';

interface Timed {
  readonly fromMs: number;
  readonly untilMs?: number;
}

export type Effect = Timed &
  (
    | {
        readonly kind: 'cpu_throttling';
        readonly app: string;
        readonly throttledSecondsPerSecond: number;
        readonly slowdown: number;
      }
    | { readonly kind: 'cpu_burn'; readonly app: string; readonly cores: number }
    | { readonly kind: 'oom_loop'; readonly app: string; readonly everyMs: number }
    | { readonly kind: 'slow_service'; readonly app: string; readonly slowdown: number }
    | {
        readonly kind: 'packet_loss';
        readonly from: string;
        readonly to: string;
        readonly retransmitsPerSecond: number;
        readonly extraRttSeconds: number;
      }
    | {
        readonly kind: 'deployment';
        readonly app: string;
        readonly image: string;
        readonly errorRate: number;
      }
    | { readonly kind: 'disk_fill'; readonly app: string; readonly bytesPerSecond: number }
    | {
        readonly kind: 'log_surge';
        readonly app: string;
        readonly level: string;
        readonly hash: string;
        readonly sample: string;
        readonly perSecond: number;
      }
    | { readonly kind: 'memory_growth'; readonly app: string; readonly bytesPerSecond: number }
    | {
        /** A share of the app's name lookups answered with `status`, slowly. */
        readonly kind: 'dns_failures';
        readonly app: string;
        readonly status: 'servfail' | 'nxdomain';
        readonly share: number;
        readonly latencySeconds: number;
      }
    | {
        /**
         * `count` of the app's pods cannot start (Pending: no node has room): their containers
         * never report, while the workload still asks for all of its replicas.
         */
        readonly kind: 'pods_pending';
        readonly app: string;
        readonly count: number;
      }
    | {
        /** The app's runtime (its AppSpec.runtime) stops the world for this long per second. */
        readonly kind: 'runtime_pauses';
        readonly app: string;
        readonly secondsPerSecond: number;
      }
  );

function active(e: Effect, tMs: number): boolean {
  return tMs >= e.fromMs && (e.untilMs === undefined || tMs < e.untilMs);
}

export function restingState(): StepState {
  return {
    serviceFactor: 1,
    extraErrorRate: 0,
    extraCpuCores: 0,
    throttledSecondsPerSecond: 0,
    memoryExtraBytes: 0,
    memoryTowardsLimit: 0,
    oomKills: 0,
    restarts: 0,
    diskExtraBytes: 0,
    logs: [],
    dnsFailures: [],
    extraRuntimePauseSecondsPerSecond: 0,
    missingInstances: 0,
  };
}

/**
 * The state of `app` at `tMs` (and over the step ending there, `stepMs`). Effects that build up
 * (disk filling, memory growth) count from their start; a deployment's image stays after it ends.
 */
export function appStateAt(effects: readonly Effect[], app: string, tMs: number, stepMs: number): StepState {
  const s = restingState();
  for (const e of effects) {
    if (!('app' in e) || e.app !== app) continue;
    const elapsedS = Math.max(0, Math.min(tMs, e.untilMs ?? Infinity) - e.fromMs) / 1000;
    if (e.kind === 'deployment' && tMs >= e.fromMs) s.image = e.image;
    if (e.kind === 'disk_fill') s.diskExtraBytes += e.bytesPerSecond * elapsedS;
    if (e.kind === 'memory_growth') s.memoryExtraBytes += e.bytesPerSecond * elapsedS;
    if (!active(e, tMs)) continue;
    switch (e.kind) {
      case 'cpu_throttling':
        // The app wants more CPU than its limit: usage sits at the limit, the rest is throttled.
        s.throttledSecondsPerSecond += e.throttledSecondsPerSecond;
        s.extraCpuCores += 1;
        s.serviceFactor *= e.slowdown;
        break;
      case 'cpu_burn':
        s.extraCpuCores += e.cores;
        break;
      case 'slow_service':
        s.serviceFactor *= e.slowdown;
        break;
      case 'deployment':
        s.extraErrorRate += e.errorRate;
        break;
      case 'dns_failures':
        s.dnsFailures.push({ status: e.status, share: e.share, latencySeconds: e.latencySeconds });
        break;
      case 'pods_pending':
        s.missingInstances += e.count;
        break;
      case 'runtime_pauses':
        s.extraRuntimePauseSecondsPerSecond += e.secondsPerSecond;
        break;
      case 'log_surge':
        s.logs.push({ level: e.level, hash: e.hash, sample: e.sample, perSecond: e.perSecond });
        break;
      case 'oom_loop': {
        // One kill per `everyMs`: the step that contains a multiple of it since the start.
        const sinceStart = tMs - e.fromMs;
        const kills = Math.floor(sinceStart / e.everyMs) - Math.floor((sinceStart - stepMs) / e.everyMs);
        s.oomKills += Math.max(0, kills);
        s.restarts += Math.max(0, kills);
        // A restarting instance refuses requests for a while; memory climbs towards the limit.
        s.extraErrorRate += kills > 0 ? 0.2 : 0.02;
        s.memoryTowardsLimit = (sinceStart % e.everyMs) / e.everyMs;
        break;
      }
      default:
        break;
    }
  }
  return s;
}

export function callStateAt(effects: readonly Effect[], from: string, to: string, tMs: number): CallState {
  const s: CallState = { extraRttSeconds: 0, retransmitsPerSecond: 0, failedConnectsPerSecond: 0 };
  for (const e of effects) {
    if (e.kind !== 'packet_loss' || e.from !== from || e.to !== to || !active(e, tMs)) continue;
    s.extraRttSeconds += e.extraRttSeconds;
    s.retransmitsPerSecond += e.retransmitsPerSecond;
  }
  return s;
}
