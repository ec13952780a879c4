/**
 * The folded ("collapsed") stack format of Brendan Gregg's FlameGraph scripts and Pyroscope's
 * `/ingest?format=folded`: one line per stack, frames root first separated by `;`, then a space
 * and a count.
 *
 *   main;handle;parseJson 120
 *   main;handle;render 30
 *
 * Frames may contain spaces (`fn /path/file.go:12`): only the last space separates the count.
 */
import { DecodeError } from '../decode-error.ts';
import type { DecodedProfile, ProfileTypeName } from './records.ts';
import { StackAggregator } from './stack-aggregator.ts';

/** Parses folded text into stack records of the single sample type `type`. */
export function parseFolded(text: string, type: ProfileTypeName): DecodedProfile {
  const stacks = new StackAggregator(1);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    const lineNo = i + 1;
    if (space <= 0) {
      throw new DecodeError(`folded line ${lineNo} has no count: expected "frame;frame;… <count>"`);
    }
    const countText = line.slice(space + 1);
    if (!/^\d+$/.test(countText)) {
      throw new DecodeError(`folded line ${lineNo} ends in "${countText.slice(0, 40)}", not a count`);
    }
    const frames = line.slice(0, space).split(';');
    if (frames.some((f) => f === '')) {
      throw new DecodeError(`folded line ${lineNo} has an empty frame name`);
    }
    stacks.add(frames, [Number(countText)], undefined);
  }
  return { types: [type], stacks: stacks.records(), timeNanos: 0n, durationNanos: 0n };
}

/** Formats stacks as folded text (the inverse of {@link parseFolded} for one sample type). */
export function formatFolded(stacks: ReadonlyArray<{ frames: readonly string[]; value: number }>): string {
  return stacks.map((s) => `${s.frames.join(';')} ${s.value}\n`).join('');
}
