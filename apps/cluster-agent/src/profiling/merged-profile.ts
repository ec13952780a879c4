/**
 * A scraped pprof body decoded and its samples merged by stack: Go's heap profile has one sample
 * per (stack, object size), and location ids are only meaningful inside one profile, so samples
 * are keyed by what their frames say (function, file, line of every location, leaf first) plus
 * their string labels. Numeric labels (the heap's `bytes`) are dropped: they would split a stack
 * into one series per object size on the server.
 *
 *   sample{locs [7, 3], labels {bytes: 64}}  ─┐
 *   sample{locs [7, 3], labels {bytes: 128}} ─┴► key sha1("main.f|f.go|12\u0002main.main|…") → summed values
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Profile, type Label, type Location } from 'pprof-format';

type Numeric = number | bigint;

/** One sample type of the scraped profile, as Go names it. */
export interface SampleColumn {
  readonly type: string;
  readonly unit: string;
}

/** The samples of one stack, summed. */
export interface MergedStack {
  /** The first sample's location ids (leaf first), valid in {@link MergedProfile.source}. */
  readonly locationId: readonly Numeric[];
  /** String labels only. */
  readonly label: readonly Label[];
  /** One value per column. */
  readonly values: number[];
}

export interface MergedProfile {
  /** The decoded profile; its tables are reused by the profiles built from it. */
  readonly source: Profile;
  readonly columns: readonly SampleColumn[];
  /** Stack key → stack. */
  readonly stacks: ReadonlyMap<string, MergedStack>;
}

/** An int64 as a number; pprof-format returns large varints as (unsigned) bigints. */
export function toNumber(n: Numeric): number {
  return typeof n === 'bigint' ? Number(BigInt.asIntN(64, n)) : n;
}

/** Upper bound on a decompressed profile: a Go heap profile of a large service is a few MB. */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Decodes a pprof body, gzipped (as Go serves it) or plain; throws on a malformed one. */
export function decodePprofBody(body: Uint8Array): Profile {
  if (body.length === 0) throw new Error('empty profile');
  const raw =
    body[0] === 0x1f && body[1] === 0x8b
      ? gunzipSync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES })
      : body;
  return Profile.decode(raw);
}

function stringAt(strings: readonly string[], index: Numeric): string {
  const s = strings[toNumber(index)];
  if (s === undefined) throw new Error(`malformed pprof: string #${toNumber(index)} is out of range`);
  return s;
}

/** Decodes the profile's columns and merges its samples by stack key. */
export function mergeByStack(source: Profile): MergedProfile {
  const strings = source.stringTable.strings;
  const columns = source.sampleType.map((t) => ({
    type: stringAt(strings, t.type),
    unit: stringAt(strings, t.unit),
  }));
  const functions = new Map<number, string>();
  for (const f of source.function) {
    const name = stringAt(strings, f.name) || stringAt(strings, f.systemName);
    functions.set(toNumber(f.id), `${name}\u0001${stringAt(strings, f.filename)}`);
  }
  const locationKeys = new Map<number, string>();
  for (const loc of source.location) locationKeys.set(toNumber(loc.id), locationKey(loc, functions));

  const stacks = new Map<string, MergedStack>();
  for (const sample of source.sample) {
    if (sample.value.length !== columns.length) {
      throw new Error(
        `malformed pprof: a sample has ${sample.value.length} values for ${columns.length} types`,
      );
    }
    const parts: string[] = [];
    for (const id of sample.locationId) {
      const key = locationKeys.get(toNumber(id));
      if (key === undefined) throw new Error(`malformed pprof: unknown location ${toNumber(id)}`);
      parts.push(key);
    }
    const label = sample.label.filter((l) => toNumber(l.str) !== 0);
    const labelText = label
      .map((l) => `${stringAt(strings, l.key)}=${stringAt(strings, l.str)}`)
      .sort()
      .join('\u0003');
    const key = createHash('sha1')
      .update(parts.join('\u0002'))
      .update('\u0004')
      .update(labelText)
      .digest('base64');
    const values = sample.value.map(toNumber);
    const seen = stacks.get(key);
    if (seen === undefined) stacks.set(key, { locationId: sample.locationId, label, values });
    else for (let i = 0; i < values.length; i++) seen.values[i] = (seen.values[i] ?? 0) + (values[i] ?? 0);
  }
  return { source, columns, stacks };
}

/** A location by its lines (inlined callee first, as pprof lists them); unsymbolized: its address. */
function locationKey(loc: Location, functions: ReadonlyMap<number, string>): string {
  if (loc.line.length === 0) return `0x${BigInt(loc.address).toString(16)}`;
  return loc.line
    .map((line) => {
      const fn = functions.get(toNumber(line.functionId));
      if (fn === undefined) throw new Error(`malformed pprof: unknown function ${toNumber(line.functionId)}`);
      return `${fn}\u0001${toNumber(line.line)}`;
    })
    .join('\u0001');
}
