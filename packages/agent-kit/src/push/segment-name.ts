/**
 * Spool segment file names: `<seq>-<timestampMs>-<samples>.seg`, the sequence zero-padded to 20
 * digits and the timestamp to 13, so names sort in write order as plain strings (`ls` shows the
 * queue in order) and the sample count survives a restart without decoding the segment.
 * A segment being written is `<name>.tmp` until it is complete.
 */

export const SEGMENT_SUFFIX = '.seg';
export const TMP_SUFFIX = '.tmp';

const SEGMENT_NAME = /^(\d{20})-(\d{13,})-(\d+)\.seg$/;

/** What a segment's file name says about it. */
export interface SegmentName {
  readonly seq: number;
  readonly timestampMs: number;
  readonly samples: number;
}

export function formatSegmentName(seq: number, timestampMs: number, samples: number): string {
  const ts = String(Math.max(0, Math.trunc(timestampMs))).padStart(13, '0');
  return `${String(seq).padStart(20, '0')}-${ts}-${samples}${SEGMENT_SUFFIX}`;
}

/** The parts of a segment name, or undefined for any other file. */
export function parseSegmentName(fileName: string): SegmentName | undefined {
  const m = SEGMENT_NAME.exec(fileName);
  if (m === null) return undefined;
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq)) return undefined;
  return { seq, timestampMs: Number(m[2]), samples: Number(m[3]) };
}
