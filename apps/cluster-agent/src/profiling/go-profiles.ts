/**
 * The five profiles a Go process serves under `/debug/pprof/`, and how Coroot's cluster agent
 * (coroot/coroot-cluster-agent, profiles/profiles.go) names and treats their sample types:
 *
 * | profile     | Go's sample types (type/unit)                        | sent as                          |
 * |-------------|------------------------------------------------------|----------------------------------|
 * | `profile`   | samples/count (left out), cpu/nanoseconds            | `go:profile_cpu:nanoseconds`     |
 * | `heap`      | alloc_objects/count, alloc_space/bytes (cumulative), | `go:heap_alloc_objects:count`, … |
 * |             | inuse_objects/count, inuse_space/bytes               | `go:heap_inuse_space:bytes`, …   |
 * | `goroutine` | goroutine/count                                      | `go:goroutine_goroutine:count`   |
 * | `mutex`     | contentions/count, delay/nanoseconds (cumulative)    | `go:mutex_contentions:count`, …  |
 * | `block`     | contentions/count, delay/nanoseconds (cumulative)    | `go:block_delay:nanoseconds`, …  |
 *
 * The server names a sample type `type` when it already ends in `:unit` (profileTypeName in
 * @vigil/protocols), so `go:heap_alloc_space:bytes` with unit `bytes` is stored as it is.
 */

/** The path segment after `/debug/pprof/`. */
export type GoProfileKind = 'profile' | 'heap' | 'goroutine' | 'mutex' | 'block';

/** In the order Coroot fetches them. */
export const GO_PROFILE_KINDS: readonly GoProfileKind[] = ['profile', 'heap', 'goroutine', 'mutex', 'block'];

/** What happens to one sample type (column) of a scraped profile. */
export type ColumnTreatment = 'gauge' | 'cumulative' | 'drop';

/**
 * Whether a column is sent as it is, turned into a delta, or left out. The CPU profile's
 * `samples` count is left out as Coroot does: `cpu` nanoseconds carries the same stacks.
 */
export function columnTreatment(kind: GoProfileKind, type: string): ColumnTreatment {
  switch (kind) {
    case 'profile':
      return type === 'samples' ? 'drop' : 'gauge';
    case 'heap':
      return type === 'alloc_objects' || type === 'alloc_space' ? 'cumulative' : 'gauge';
    case 'mutex':
    case 'block':
      return 'cumulative';
    case 'goroutine':
      return 'gauge';
  }
}

/** `go:<profile>_<type>:<unit>`, e.g. `go:heap_alloc_space:bytes`. */
export function goSampleTypeName(kind: GoProfileKind, type: string, unit: string): string {
  return `go:${kind}_${type}:${unit}`;
}

/** The URL path and query of a profile; the CPU profile records for `cpuSeconds`. */
export function goProfilePath(kind: GoProfileKind, cpuSeconds: number): string {
  return kind === 'profile' ? `/debug/pprof/profile?seconds=${cpuSeconds}` : `/debug/pprof/${kind}`;
}
