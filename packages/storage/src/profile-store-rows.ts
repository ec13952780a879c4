/**
 * A decoded profile → rows of `profiling_stacks` and `profiling_samples`, ready to insert: built
 * in the request (so a request that cannot be stored is refused before it is accepted) and
 * batched by the server's write buffer like spans and logs.
 *
 * A stack's hash is the first 8 bytes of SHA-256 over its frames: stable across processes and
 * servers, so every writer of a cluster names the same stack alike.
 */
import { createHash } from 'node:crypto';
import type { DecodedProfile } from '@vigil/protocols';
import { nsToDateTime64Text } from './encode/timestamp.ts';

/** One profile's rows. */
export interface ProfileChunk {
  /** The chunk's distinct stacks: hash (UInt64 as decimal text) → frames, root first. */
  readonly stacks: ReadonlyMap<string, readonly string[]>;
  /** `profiling_samples` rows as JSONEachRow lines. */
  readonly sampleRows: string;
  /** Number of sample rows (what the write buffer counts). */
  readonly rows: number;
}

/** Where a profile comes from and what it covers. */
export interface ProfileOrigin {
  service: string;
  /** Labels of the whole profile (Coroot's query parameters, Pyroscope's `name{…}`). */
  labels: Readonly<Record<string, string>>;
  startUnixNano: bigint;
  endUnixNano: bigint;
}

/** The stack's hash as a UInt64 in decimal text. */
export function stackHash(frames: readonly string[]): string {
  const digest = createHash('sha256').update(frames.join('\u0000')).digest();
  return digest.readBigUInt64BE(0).toString();
}

/** Rows for every (sample type, stack, labels) with a non-zero value. */
export function profileChunk(profile: DecodedProfile, origin: ProfileOrigin): ProfileChunk {
  const stacks = new Map<string, readonly string[]>();
  const start = nsToDateTime64Text(origin.startUnixNano);
  const end = nsToDateTime64Text(origin.endUnixNano);
  const service = JSON.stringify(origin.service);
  const types = profile.types.map((t) => JSON.stringify(t));
  const profileLabels = JSON.stringify(origin.labels);
  const lines: string[] = [];
  for (const stack of profile.stacks) {
    const hash = stackHash(stack.frames);
    stacks.set(hash, stack.frames);
    const labels =
      Object.keys(stack.labels).length === 0
        ? profileLabels
        : JSON.stringify({ ...origin.labels, ...stack.labels });
    for (let i = 0; i < types.length; i++) {
      const value = Math.round(stack.values[i] ?? 0);
      if (value === 0) continue;
      lines.push(
        `{"ServiceName":${service},"Type":${types[i]},"Start":"${start}","End":"${end}","Labels":${labels},"StackHash":"${hash}","Value":${value}}\n`,
      );
    }
  }
  return { stacks, sampleRows: lines.join(''), rows: lines.length };
}
