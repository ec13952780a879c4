/**
 * One collector per target. The agent calls `collect` once per scrape interval with a deadline
 * below the interval; a collector keeps one connection to its database between calls and
 * reconnects on the next call after a failure. It never throws out of `collect`: a database that
 * is down, refuses the credentials or times out gives `<type>_up 0` and the error (`error`
 * field, also logged by the agent), and the other targets are collected as usual.
 */
import type { MetricFamily } from '@vigil/agent-kit';
import type { DatabaseChange } from '../changes/database-change.ts';
import type { Target } from './target.ts';

export interface Collection {
  readonly families: MetricFamily[];
  /** Why the target could not be collected (fully); undefined when all went well. */
  readonly error?: string;
  /** Schema and settings changes seen since the previous round (none on the first). */
  readonly changes?: readonly DatabaseChange[];
}

export interface Collector {
  readonly target: Target;
  /** Collects one round; `signal` aborts at the deadline. */
  collect(signal: AbortSignal): Promise<Collection>;
  /** Closes the connection; the collector is not used again. */
  close(): Promise<void>;
}

export type CollectorFactory = (target: Target) => Collector;
