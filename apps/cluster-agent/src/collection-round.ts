/**
 * One round over every target: collectors made for new targets and closed for the ones that
 * went away, all collected at once under one deadline, their families merged by name. A target
 * that fails or hangs costs its own `_up 0`, never the round.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from '@vigil/core';
import type { MetricFamily } from '@vigil/agent-kit';
import type { DatabaseChange } from './changes/database-change.ts';
import type { Collection, Collector } from './collectors/collector.ts';
import type { CollectorRegistry } from './collectors/registry.ts';
import { targetAddress, type Target } from './collectors/target.ts';

export interface TargetState {
  readonly type: string;
  readonly address: string;
  readonly instance?: string;
  readonly up: boolean;
  readonly error?: string;
  readonly durationMs: number;
}

/** A target's identity: a change of credentials or parameters means a new connection. */
function targetKey(t: Target): string {
  return JSON.stringify([
    t.type,
    t.host,
    t.port,
    t.credentials ?? null,
    t.params ?? null,
    t.instance ?? null,
  ]);
}

export class CollectionRounds {
  readonly #collectors = new Map<string, Collector>();
  readonly #unsupported = new Set<string>();
  #states: TargetState[] = [];

  /**
   * @param onChanges receives the schema and settings changes a collector saw this round (sent
   *   on as OTLP logs by the agent).
   */
  constructor(
    private readonly registry: CollectorRegistry,
    private readonly logger: Logger,
    private readonly onChanges?: (target: Target, changes: readonly DatabaseChange[]) => void,
  ) {}

  get states(): readonly TargetState[] {
    return this.#states;
  }

  async run(targets: readonly Target[], deadlineMs: number): Promise<MetricFamily[]> {
    await this.#reconcile(targets);
    const signal = AbortSignal.timeout(deadlineMs);
    // Every collector listens for the one deadline.
    setMaxListeners(this.#collectors.size + 10, signal);
    const results = await Promise.all(
      [...this.#collectors.values()].map(async (c) => {
        const t0 = performance.now();
        const r: Collection = await c.collect(signal).catch((err: unknown) => ({
          families: [],
          error: `collector failed: ${(err as Error).message}`,
        }));
        if (r.changes !== undefined && r.changes.length > 0) this.onChanges?.(c.target, r.changes);
        const state: TargetState = {
          type: c.target.type,
          address: targetAddress(c.target),
          ...(c.target.instance ? { instance: c.target.instance } : {}),
          up: r.error === undefined,
          ...(r.error === undefined ? {} : { error: r.error }),
          durationMs: Math.round(performance.now() - t0),
        };
        return { families: r.families, state };
      }),
    );
    const previous = new Map(this.#states.map((s) => [`${s.type} ${s.address}`, s]));
    for (const { state } of results) {
      const before = previous.get(`${state.type} ${state.address}`);
      if (state.error !== undefined && state.error !== before?.error)
        this.logger.warn(
          { target: state.address, type: state.type, err: state.error },
          'target not collected',
        );
      else if (state.error === undefined && before?.error !== undefined)
        this.logger.info({ target: state.address, type: state.type }, 'target collected again');
    }
    this.#states = results.map((r) => r.state);
    return mergeFamilies(results.flatMap((r) => r.families));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#collectors.values()].map((c) => c.close().catch(() => undefined)));
    this.#collectors.clear();
  }

  async #reconcile(targets: readonly Target[]): Promise<void> {
    const wanted = new Map(targets.map((t) => [targetKey(t), t]));
    for (const [key, collector] of this.#collectors)
      if (!wanted.has(key)) {
        this.#collectors.delete(key);
        await collector.close().catch(() => undefined);
      }
    for (const [key, target] of wanted) {
      if (this.#collectors.has(key)) continue;
      const factory = this.registry[target.type];
      if (!factory) {
        if (!this.#unsupported.has(key))
          this.logger.warn(
            { target: targetAddress(target), type: target.type },
            'no collector for this type yet',
          );
        this.#unsupported.add(key);
        continue;
      }
      this.#collectors.set(key, factory(target));
    }
  }
}

/** Families of the same name from several targets become one (exposition allows one HELP/TYPE each). */
export function mergeFamilies(families: readonly MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const f of families) {
    const known = byName.get(f.name);
    byName.set(f.name, known ? { ...known, samples: [...known.samples, ...f.samples] } : f);
  }
  return [...byName.values()];
}
