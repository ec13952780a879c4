/**
 * Decodes a pprof `perftools.profiles.Profile` (gzip or plain) with `pprof-format` and turns it
 * into stack records: every sample's locations become frame names, root first.
 *
 *   sample.location_id = [leaf, …, root]        location.line = [inlined leaf, …, caller]
 *   frames (root → leaf) = reverse of both, each line named "function file:line"
 *
 * The decoder of `pprof-format` trusts its input, so the framing and every reference it returns
 * (string, function and location ids, value counts) are checked here: a bad body is a
 * {@link DecodeError} naming what is wrong, never a crash or a silently empty profile.
 */
import { Profile, type Location, type Sample } from 'pprof-format';
import { DecodeError } from '../decode-error.ts';
import { ProtoReader } from '../protobuf/reader.ts';
import { gunzipIfNeeded } from './gzip-body.ts';
import { profileTypeName, type DecodedProfile } from './records.ts';
import { StackAggregator } from './stack-aggregator.ts';

export interface PprofDecodeOptions {
  /** Upper bound on the body after gzip decompression. */
  maxDecompressedBytes: number;
}

type Numeric = number | bigint;

const toNumber = (n: Numeric): number => (typeof n === 'bigint' ? Number(n) : n);

/** Index into the string table, checked. */
function stringAt(strings: readonly string[], index: Numeric, what: string): string {
  const i = toNumber(index);
  const s = strings[i];
  if (s === undefined) {
    throw new DecodeError(
      `malformed pprof: ${what} refers to string #${i}, but the string table has ${strings.length}`,
    );
  }
  return s;
}

/** "function file:line", dropping the parts the profile does not have. */
function frameName(functionName: string, fileName: string, line: number): string {
  if (fileName === '') return functionName;
  return line > 0 ? `${functionName} ${fileName}:${line}` : `${functionName} ${fileName}`;
}

/** Decodes `body` into stack records with one value per sample type. */
export function decodePprof(body: Uint8Array, options: PprofDecodeOptions): DecodedProfile {
  if (body.length === 0) throw new DecodeError('empty pprof body');
  const raw = gunzipIfNeeded(body, options.maxDecompressedBytes);
  // pprof-format reads a length prefix that runs past the end as a shorter field; walking the
  // top-level fields first turns a truncated body into an error with its byte offset.
  try {
    const framing = new ProtoReader(raw);
    while (framing.pos < framing.limit) framing.skip(framing.tag());
  } catch (e) {
    throw new DecodeError(`malformed pprof: ${(e as Error).message}`, { cause: e });
  }
  let profile: Profile;
  try {
    profile = Profile.decode(raw);
  } catch (e) {
    throw new DecodeError(`malformed pprof: ${(e as Error).message}`, { cause: e });
  }
  const strings = profile.stringTable.strings;
  if (strings.length === 0 || strings[0] !== '') {
    throw new DecodeError('malformed pprof: the string table must start with the empty string');
  }
  if (profile.sampleType.length === 0) {
    throw new DecodeError('malformed pprof: the profile has no sample types');
  }
  // A sample type without a name is a column nobody can ask for: Coroot's cluster agent sends Go's
  // CPU `samples` count that way beside the nanoseconds. It is left out, not stored as `:count`.
  const kept: number[] = [];
  const types: string[] = [];
  profile.sampleType.forEach((t, i) => {
    const type = stringAt(strings, t.type, `sample_type[${i}].type`);
    const unit = stringAt(strings, t.unit, `sample_type[${i}].unit`);
    if (type === '') return;
    kept.push(i);
    types.push(profileTypeName(type, unit));
  });
  if (types.length === 0) throw new DecodeError('malformed pprof: no sample type has a name');
  const allKept = kept.length === profile.sampleType.length;

  const functions = new Map<number, { name: string; file: string }>();
  profile.function.forEach((f, i) => {
    const name =
      stringAt(strings, f.name, `function[${i}].name`) ||
      stringAt(strings, f.systemName, `function[${i}].system_name`);
    functions.set(toNumber(f.id), { name, file: stringAt(strings, f.filename, `function[${i}].filename`) });
  });
  const locations = new Map<number, readonly string[]>();
  profile.location.forEach((loc, i) => locations.set(toNumber(loc.id), locationFrames(loc, i, functions)));

  const stacks = new StackAggregator(types.length);
  profile.sample.forEach((sample, i) => {
    if (sample.value.length !== profile.sampleType.length) {
      throw new DecodeError(
        `malformed pprof: sample[${i}] has ${sample.value.length} values for ${profile.sampleType.length} sample types`,
      );
    }
    const frames: string[] = [];
    for (let j = sample.locationId.length - 1; j >= 0; j--) {
      const id = toNumber(sample.locationId[j] as Numeric);
      const names = locations.get(id);
      if (names === undefined)
        throw new DecodeError(`malformed pprof: sample[${i}] refers to unknown location ${id}`);
      for (const n of names) frames.push(n);
    }
    const values = allKept
      ? sample.value.map(toNumber)
      : kept.map((k) => toNumber(sample.value[k] as Numeric));
    stacks.add(frames, values, sampleLabels(sample, i, strings));
  });
  return {
    types,
    stacks: stacks.records(),
    timeNanos: BigInt(profile.timeNanos),
    durationNanos: BigInt(profile.durationNanos),
  };
}

/** A location's frames, caller first; an unsymbolized location is its address. */
function locationFrames(
  loc: Location,
  index: number,
  functions: ReadonlyMap<number, { name: string; file: string }>,
): readonly string[] {
  if (loc.line.length === 0) return [`0x${BigInt(loc.address).toString(16)}`];
  const names: string[] = [];
  for (let k = loc.line.length - 1; k >= 0; k--) {
    const line = loc.line[k];
    if (line === undefined) continue;
    const fn = functions.get(toNumber(line.functionId));
    if (fn === undefined) {
      throw new DecodeError(
        `malformed pprof: location[${index}] refers to unknown function ${toNumber(line.functionId)}`,
      );
    }
    names.push(frameName(fn.name || `0x${BigInt(loc.address).toString(16)}`, fn.file, toNumber(line.line)));
  }
  return names;
}

function sampleLabels(
  sample: Sample,
  index: number,
  strings: readonly string[],
): Record<string, string> | undefined {
  if (sample.label.length === 0) return undefined;
  let labels: Record<string, string> | undefined;
  sample.label.forEach((l, j) => {
    const key = stringAt(strings, l.key, `sample[${index}].label[${j}].key`);
    const str = toNumber(l.str);
    // Numeric labels (Go's heap `bytes`: each allocation's size) would make a series per value;
    // like Pyroscope, only string labels are kept.
    if (str === 0) return;
    (labels ??= {})[key] = stringAt(strings, str, `sample[${index}].label[${j}].str`);
  });
  return labels;
}
