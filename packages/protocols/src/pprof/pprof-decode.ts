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
  const types = profile.sampleType.map((t, i) =>
    profileTypeName(
      stringAt(strings, t.type, `sample_type[${i}].type`),
      stringAt(strings, t.unit, `sample_type[${i}].unit`),
    ),
  );
  if (types.some((t) => t === '')) throw new DecodeError('malformed pprof: a sample type has no name');

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
    if (sample.value.length !== types.length) {
      throw new DecodeError(
        `malformed pprof: sample[${i}] has ${sample.value.length} values for ${types.length} sample types`,
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
    stacks.add(frames, sample.value.map(toNumber), sampleLabels(sample, i, strings));
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
  const labels: Record<string, string> = {};
  sample.label.forEach((l, j) => {
    const key = stringAt(strings, l.key, `sample[${index}].label[${j}].key`);
    const str = toNumber(l.str);
    labels[key] = str !== 0 ? stringAt(strings, str, `sample[${index}].label[${j}].str`) : String(l.num);
  });
  return labels;
}
