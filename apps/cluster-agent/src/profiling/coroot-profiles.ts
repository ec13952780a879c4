/**
 * One scraped Go profile → the profiles sent to the server, named and treated as Coroot's
 * cluster agent does (go-profiles.ts). Columns are grouped by treatment, so a heap profile
 * becomes two: its in-use columns as scraped (a point in time) and its allocation columns as
 * the increase since the previous scrape (a window). The server stores every sample type of a
 * profile under the profile's one time range, and skips zero values, so splitting is what
 * gives each kind its right time range:
 *
 *   heap scrape at t1 ─┬─► go:heap_inuse_{objects,space}   Start t1, no duration
 *                      └─► go:heap_alloc_{objects,space}   Start t0, End t1  (t0: previous heap scrape)
 *   cpu (10 s)        ───► go:profile_cpu:nanoseconds       Start when it was requested, Go's duration
 */
import { Profile, Sample, ValueType, type Function as PprofFunction, type Location } from 'pprof-format';
import { cumulativeDelta, type StackValues } from './cumulative-delta.ts';
import { columnTreatment, goSampleTypeName, type GoProfileKind } from './go-profiles.ts';
import { toNumber, type MergedProfile } from './merged-profile.ts';

/** The values of a target's cumulative columns at its last successful scrape. */
export interface Baseline {
  readonly timeMs: number;
  readonly values: StackValues;
}

export interface ConvertContext {
  readonly kind: GoProfileKind;
  /** The target's baselines by sample type names; read and updated here. */
  readonly baselines: Map<string, Baseline>;
  /** When the request went out and when the answer was in, on the agent's clock. */
  readonly requestedMs: number;
  readonly receivedMs: number;
}

/** A profile to send. */
export interface OutgoingProfile {
  readonly profile: Profile;
  /** Its sample type names, e.g. `go:heap_alloc_space:bytes`. */
  readonly types: readonly string[];
  readonly startMs: number;
}

/** See the module comment; returns nothing for a profile without samples or a first baseline. */
export function toCorootProfiles(merged: MergedProfile, ctx: ConvertContext): OutgoingProfile[] {
  const groups = { gauge: [] as number[], cumulative: [] as number[] };
  merged.columns.forEach((c, i) => {
    const treatment = columnTreatment(ctx.kind, c.type);
    if (treatment !== 'drop') groups[treatment].push(i);
  });
  const out: OutgoingProfile[] = [];
  for (const [treatment, columns] of Object.entries(groups)) {
    if (columns.length === 0) continue;
    const types = columns.map((i) => {
      const c = merged.columns[i]!;
      return goSampleTypeName(ctx.kind, c.type, c.unit);
    });
    const current = new Map<string, readonly number[]>();
    for (const [key, stack] of merged.stacks)
      current.set(
        key,
        columns.map((i) => stack.values[i] ?? 0),
      );
    let values: StackValues = current;
    let startMs = ctx.kind === 'profile' ? ctx.requestedMs : ctx.receivedMs;
    let durationNs = ctx.kind === 'profile' ? cpuDurationNs(merged, ctx) : 0n;
    if (treatment === 'cumulative') {
      const key = types.join(',');
      const previous = ctx.baselines.get(key);
      ctx.baselines.set(key, { timeMs: ctx.receivedMs, values: current });
      const result = cumulativeDelta(previous?.values, current);
      if (result.kind === 'first' || previous === undefined) continue;
      values = result.values;
      startMs = previous.timeMs;
      durationNs = BigInt(ctx.receivedMs - previous.timeMs) * 1_000_000n;
    }
    const profile = buildProfile(merged, columns, types, values, startMs, durationNs);
    if (profile.sample.length > 0) out.push({ profile, types, startMs });
  }
  return out;
}

/** Go says how long it recorded; else the time the request took. */
function cpuDurationNs(merged: MergedProfile, ctx: ConvertContext): bigint {
  const reported = toNumber(merged.source.durationNanos);
  return BigInt(reported > 0 ? reported : (ctx.receivedMs - ctx.requestedMs) * 1_000_000);
}

/** A profile over the scraped one's tables with the given columns, values and time range. */
function buildProfile(
  merged: MergedProfile,
  columns: readonly number[],
  types: readonly string[],
  values: StackValues,
  startMs: number,
  durationNs: bigint,
): Profile {
  const src = merged.source;
  const strings = src.stringTable;
  const sample: Sample[] = [];
  const usedLocations = new Set<number>();
  for (const [key, v] of values) {
    const stack = merged.stacks.get(key);
    if (stack === undefined || !v.some((x) => x > 0)) continue;
    sample.push(new Sample({ locationId: [...stack.locationId], value: [...v], label: [...stack.label] }));
    for (const id of stack.locationId) usedLocations.add(toNumber(id));
  }
  // Only the locations and functions the kept samples use: a heap split in two, or a delta
  // with a few changed stacks, would otherwise carry the whole table each time.
  const location: Location[] = src.location.filter((l) => usedLocations.has(toNumber(l.id)));
  const usedFunctions = new Set<number>();
  for (const l of location) for (const line of l.line) usedFunctions.add(toNumber(line.functionId));
  const fn: PprofFunction[] = src.function.filter((f) => usedFunctions.has(toNumber(f.id)));
  return new Profile({
    sampleType: types.map(
      (name, i) =>
        new ValueType({ type: strings.dedup(name), unit: strings.dedup(merged.columns[columns[i]!]!.unit) }),
    ),
    sample,
    mapping: src.mapping,
    location,
    function: fn,
    stringTable: strings,
    timeNanos: BigInt(startMs) * 1_000_000n,
    durationNanos: durationNs,
    ...(src.periodType === undefined ? {} : { periodType: src.periodType }),
    period: src.period,
  });
}
