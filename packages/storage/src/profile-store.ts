/**
 * Writes profiles to `profiling_stacks` and `profiling_samples` and answers the profile API:
 * the types a service has, and flame graphs (plain, or a diff against a base window).
 *
 * A flame graph is one aggregation and one lookup:
 *
 *   samples of (service, type) in [from, to) ─GROUP BY StackHash─► top stacks by value
 *   stacks WHERE Hash IN (those)              ─────────────────► frames ─► tree (flamegraph.ts)
 */
import type { Outcome } from '@vigil/core';
import type { DiffFlameGraphNode, FlameGraphNode, FlameGraphQuery } from '@vigil/spec';
import type { Database } from './connection.ts';
import { insertOutcome, timeWindow, toNumber } from './filters.ts';
import { buildDiffFlameGraph, buildFlameGraph, type StackValue } from './profile-store-flamegraph.ts';
import type { ProfileChunk } from './profile-store-rows.ts';
import { PROFILE_SAMPLES_TABLE, PROFILE_STACKS_TABLE } from './schema/profiles.ts';
import { sql, type Sql } from './sql.ts';

/** Stacks a flame graph reads at most; the rest count in the root's total only. */
export const MAX_FLAMEGRAPH_STACKS = 20_000;

/** Stack hashes remembered as written (with their day) before the memory is cleared. */
const KNOWN_STACKS_LIMIT = 500_000;

const DAY_MS = 86_400_000;

export interface ProfileStoreOptions {
  /** Stacks a flame graph reads at most (default {@link MAX_FLAMEGRAPH_STACKS}). */
  maxFlameGraphStacks?: number;
}

interface WindowStacks {
  stacks: StackValue[];
  total: number;
  truncated: boolean;
}

export class ProfileStore {
  readonly #db: Database;
  readonly #samples: Sql;
  readonly #stacks: Sql;
  readonly #maxStacks: number;
  /** Stack hash → the day (since the epoch) it was last written by this process. */
  readonly #knownStacks = new Map<string, number>();

  constructor(db: Database, options: ProfileStoreOptions = {}) {
    this.#db = db;
    this.#samples = db.table(PROFILE_SAMPLES_TABLE);
    this.#stacks = db.table(PROFILE_STACKS_TABLE);
    this.#maxStacks = options.maxFlameGraphStacks ?? MAX_FLAMEGRAPH_STACKS;
  }

  /**
   * Inserts the chunks' stacks (those not written today by this process), then their samples,
   * so no stored sample points to a stack that is not stored. `retryable` when ClickHouse is
   * unreachable or overloaded.
   */
  insertChunks(chunks: readonly ProfileChunk[]): Promise<Outcome> {
    return insertOutcome('insert profiles', async () => {
      const nowMs = Date.now();
      const today = Math.floor(nowMs / DAY_MS);
      const lastSeen = Math.floor(nowMs / 1000);
      const fresh = new Set<string>();
      const lines: string[] = [];
      for (const chunk of chunks) {
        for (const [hash, frames] of chunk.stacks) {
          if (this.#knownStacks.get(hash) === today || fresh.has(hash)) continue;
          fresh.add(hash);
          lines.push(`{"Hash":"${hash}","Frames":${JSON.stringify(frames)},"LastSeen":${lastSeen}}\n`);
        }
      }
      if (lines.length > 0) {
        await this.#db.insertRaw(
          PROFILE_STACKS_TABLE,
          ['Hash', 'Frames', 'LastSeen'],
          'JSONEachRow',
          Buffer.from(lines.join(''), 'utf8'),
        );
        if (this.#knownStacks.size + fresh.size > KNOWN_STACKS_LIMIT) this.#knownStacks.clear();
        for (const hash of fresh) this.#knownStacks.set(hash, today);
      }
      const samples = chunks.filter((c) => c.rows > 0).map((c) => Buffer.from(c.sampleRows, 'utf8'));
      if (samples.length === 0) return;
      await this.#db.insertRaw(
        PROFILE_SAMPLES_TABLE,
        ['ServiceName', 'Type', 'Start', 'End', 'Labels', 'StackHash', 'Value'],
        'JSONEachRow',
        Buffer.concat(samples),
      );
    });
  }

  /** Profile types with samples of `service` in [fromMs, toMs), sorted. */
  async types(service: string, fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.#db.query<{ type: string }>(sql`
      SELECT DISTINCT Type AS type FROM ${this.#samples}
      WHERE ServiceName = ${service} AND ${timeWindow(sql`Start`, fromMs, toMs)}
      ORDER BY type`);
    return rows.map((r) => r.type);
  }

  /** The flame graph of one service and profile type over [fromMs, toMs). */
  async flameGraph(query: FlameGraphQuery): Promise<{ flamegraph: FlameGraphNode; truncated: boolean }> {
    const w = await this.#windowStacks(query.service, query.type, query.fromMs, query.toMs);
    return { flamegraph: buildFlameGraph(w.stacks, w.total), truncated: w.truncated };
  }

  /** The diff flame graph of [fromMs, toMs) against [baseFromMs, baseToMs). */
  async diffFlameGraph(
    query: FlameGraphQuery & { baseFromMs: number; baseToMs: number },
  ): Promise<{ flamegraph: DiffFlameGraphNode; truncated: boolean }> {
    const [current, base] = await Promise.all([
      this.#windowStacks(query.service, query.type, query.fromMs, query.toMs),
      this.#windowStacks(query.service, query.type, query.baseFromMs, query.baseToMs),
    ]);
    return {
      flamegraph: buildDiffFlameGraph(current.stacks, base.stacks, {
        total: current.total,
        baseTotal: base.total,
      }),
      truncated: current.truncated || base.truncated,
    };
  }

  async #windowStacks(service: string, type: string, fromMs: number, toMs: number): Promise<WindowStacks> {
    if (!(toMs > fromMs)) return { stacks: [], total: 0, truncated: false };
    const where = sql`ServiceName = ${service} AND Type = ${type} AND ${timeWindow(sql`Start`, fromMs, toMs)}`;
    const [summary] = await this.#db.query<{ total: number | string; stacks: number | string }>(sql`
      SELECT sum(Value) AS total, uniqExact(StackHash) AS stacks FROM ${this.#samples} WHERE ${where}`);
    const total = toNumber(summary?.total ?? 0);
    const stackCount = toNumber(summary?.stacks ?? 0);
    if (stackCount === 0) return { stacks: [], total: 0, truncated: false };
    const rows = await this.#db.query<{ value: number | string; frames: string[]; found: number }>(sql`
      SELECT s.value AS value, st.Frames AS frames, st.Hash != 0 AS found
      FROM (
        SELECT StackHash, sum(Value) AS value FROM ${this.#samples} WHERE ${where}
        GROUP BY StackHash ORDER BY value DESC LIMIT ${this.#maxStacks}
      ) AS s
      LEFT JOIN (
        SELECT Hash, argMax(Frames, LastSeen) AS Frames FROM ${this.#stacks}
        WHERE Hash IN (SELECT StackHash FROM ${this.#samples} WHERE ${where})
        GROUP BY Hash
      ) AS st ON st.Hash = s.StackHash`);
    return {
      // A stack row lost (expired early, or a failed write) still counts, under a marker frame.
      stacks: rows.map((r) => ({
        frames: r.found ? r.frames : ['(unknown stack)'],
        value: toNumber(r.value),
      })),
      total,
      truncated: stackCount > this.#maxStacks,
    };
  }
}
