/**
 * What a profile becomes once decoded, whatever its wire format (pprof, folded): every distinct
 * (stack, labels) with one value per sample type. This is the shape the profile store writes.
 */

/** A profile's sample type as Vigil names it, e.g. `ebpf:cpu:nanoseconds`, `cpu:nanoseconds`. */
export type ProfileTypeName = string;

/** One stack of a profile with its summed values. */
export interface ProfileStackRecord {
  /** Frame names from the root (outermost caller) to the leaf (where the sample was taken). */
  readonly frames: readonly string[];
  /** One value per entry of {@link DecodedProfile.types}, summed over the stack's samples. */
  readonly values: number[];
  /** Sample labels (pprof string and numeric labels); empty for most profiles. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A decoded profile: its sample types and the values of each distinct stack. */
export interface DecodedProfile {
  readonly types: readonly ProfileTypeName[];
  readonly stacks: readonly ProfileStackRecord[];
  /** When the profile was taken (pprof `time_nanos`); 0n when the sender did not say. */
  readonly timeNanos: bigint;
  /** How long it covers (pprof `duration_nanos`); 0n when the sender did not say. */
  readonly durationNanos: bigint;
}

/**
 * The name of a sample type: `type:unit`, or `type` alone when it already ends in `:unit`
 * (Coroot's node agent sends the type `ebpf:cpu:nanoseconds` with the unit `nanoseconds`).
 */
export function profileTypeName(type: string, unit: string): ProfileTypeName {
  if (unit === '' || type.endsWith(`:${unit}`)) return type;
  return `${type}:${unit}`;
}
