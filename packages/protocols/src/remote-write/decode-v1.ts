/**
 * Decoder for Prometheus remote write 1.0 bodies (`prometheus.WriteRequest`, already
 * decompressed) straight into a {@link MetricsBatch}. Field numbers are those of
 * prometheus/prometheus prompb/remote.proto and prompb/types.proto:
 *
 * ```
 * WriteRequest   timeseries = 1, metadata = 3 (2 is reserved)
 * TimeSeries     labels = 1, samples = 2, exemplars = 3, histograms = 4
 * Label          name = 1, value = 2
 * Sample         value = 1 (double), timestamp = 2 (int64 ms)
 * MetricMetadata type = 1, metric_family_name = 2, help = 4, unit = 5
 * ```
 */
import type { Label, MetricMetadata, MetricsBatch, MetricSeries, SeriesRefs } from '../metrics/records.ts';
import { fieldTag, ProtoReader } from '../protobuf/reader.ts';
import { metricTypeFromNumber } from './metric-type.ts';
import { ByteKeyedCache } from './byte-keyed-cache.ts';
import { hashLabelBytes } from './label-bytes-hash.ts';
import { ResolvedColumns } from './resolved-columns.ts';
import { LEN, messageFields, readSample, skipField, VARINT } from './wire.ts';

const REQUEST_TIMESERIES = fieldTag(1, LEN);
const REQUEST_METADATA = fieldTag(3, LEN);
const REQUEST_FIELDS = messageFields([
  [1, 'timeseries', LEN],
  [3, 'metadata', LEN],
]);

const SERIES_LABELS = fieldTag(1, LEN);
const SERIES_SAMPLES = fieldTag(2, LEN);
const SERIES_EXEMPLARS = fieldTag(3, LEN);
const SERIES_HISTOGRAMS = fieldTag(4, LEN);
const SERIES_FIELDS = messageFields([
  [1, 'labels', LEN],
  [2, 'samples', LEN],
  [3, 'exemplars', LEN],
  [4, 'histograms', LEN],
]);

const LABEL_NAME = fieldTag(1, LEN);
const LABEL_VALUE = fieldTag(2, LEN);
const LABEL_FIELDS = messageFields([
  [1, 'name', LEN],
  [2, 'value', LEN],
]);

const METADATA_TYPE = fieldTag(1, VARINT);
const METADATA_FAMILY_NAME = fieldTag(2, LEN);
const METADATA_HELP = fieldTag(4, LEN);
const METADATA_UNIT = fieldTag(5, LEN);
const METADATA_FIELDS = messageFields([
  [1, 'type', VARINT],
  [2, 'metricFamilyName', LEN],
  [4, 'help', LEN],
  [5, 'unit', LEN],
]);

/** Per-request state of the series loop. */
interface RequestState {
  /** Label messages by their bytes: a repeated pair is one lookup and no allocation. */
  labels: ByteKeyedCache<Label> | undefined;
  /** Names and values of the pairs `labels` has not seen yet. */
  strings: ByteKeyedCache<string> | undefined;
  exemplars: number;
  histogramSeries: number;
  /** With a SeriesRefs: samples of known series, and the hash of the series being read. */
  readonly refs: SeriesRefs<unknown> | undefined;
  readonly resolved: ResolvedColumns | undefined;
  readonly hash: Int32Array;
  /** The id of the known series being read, [high, low]. */
  readonly id: Uint32Array;
}

/**
 * Decodes a remote write 1.0 `WriteRequest` body (after snappy decompression).
 *
 * Series come out in request order with labels as sent. With `refs`, a series whose encoded labels
 * the store knows (by a hash of their bytes) is not decoded into labels: its samples go to
 * `resolved` as columns, unless `refs.accepts` refuses their times; every other series is
 * decoded in full and carries the hash of its label bytes, for the store to remember.
 * A series that carries native histograms
 * is counted in `nativeHistogramSeries` (its histograms are not decoded); exemplars are counted
 * in `exemplarsDropped`. A series left without float samples (histogram- or exemplar-only, or
 * empty) is not listed, since there is nothing of it to store. Staleness markers are found from
 * the raw bits and listed in `staleIndexes`.
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf, including a known field sent
 *   with the wrong wire type; the message names the field path and byte offset.
 */
export function decodeRemoteWrite1(body: Uint8Array, refs?: SeriesRefs<unknown>): MetricsBatch {
  const r = new ProtoReader(body);
  const series: MetricSeries[] = [];
  const metadata: MetricMetadata[] = [];
  const state: RequestState = {
    // Made on the first label decoded: a request of known series decodes none.
    labels: undefined,
    strings: undefined,
    exemplars: 0,
    histogramSeries: 0,
    refs,
    resolved: refs === undefined ? undefined : new ResolvedColumns(body.length),
    hash: new Int32Array(2),
    id: new Uint32Array(2),
  };
  let seriesIndex = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_TIMESERIES) {
      r.path.push('timeseries', seriesIndex++);
      const outer = r.enter();
      if (state.refs === undefined || !readKnownSeries(r, state)) readSeries(r, series, state);
      r.leave(outer);
      r.path.pop();
    } else if (tag === REQUEST_METADATA) {
      r.path.push('metadata', metadata.length);
      metadata.push(readMetadata(r));
      r.path.pop();
    } else {
      skipField(r, tag, REQUEST_FIELDS);
    }
  }
  const batch = {
    series,
    metadata,
    exemplarsDropped: state.exemplars,
    nativeHistogramSeries: state.histogramSeries,
  };
  return state.resolved === undefined ? batch : { ...batch, resolved: state.resolved.done() };
}

/**
 * The fast path for a series (the reader inside its message): hashes the run of label fields it
 * opens with and, when `state.refs` knows that hash and accepts the samples' times, appends the
 * samples to `state.resolved` and returns true. Otherwise it leaves the reader where it found it
 * and returns false, with the hash in `state.hash` when the labels are one leading run (the
 * only layout whose hash names the whole label set); a series without such a run gets [0, 0].
 */
function readKnownSeries(r: ProtoReader, state: RequestState): boolean {
  const seriesStart = r.pos;
  let labelsEnd = seriesStart;
  while (r.pos < r.limit) {
    const at = r.pos;
    if (r.tag() !== SERIES_LABELS) {
      r.pos = at;
      break;
    }
    r.lengthDelimited();
    labelsEnd = r.pos;
  }
  const hash = state.hash;
  if (labelsEnd === seriesStart) {
    hash[0] = 0;
    hash[1] = 0;
    r.pos = seriesStart;
    return false;
  }
  hashLabelBytes(r.buf, r.view, seriesStart, labelsEnd, hash);
  const ref = state.refs!.find(hash[0]!, hash[1]!);
  if (ref === undefined) {
    r.pos = seriesStart;
    return false;
  }
  state.refs!.idWords(ref, state.id);
  const resolved = state.resolved!;
  const mark = resolved.count;
  let minMs = Infinity;
  let maxMs = -Infinity;
  let exemplars = 0;
  let histograms = 0;
  let labelsLater = false;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SERIES_SAMPLES) {
      r.path.push('samples', resolved.count - mark);
      const t = resolved.readSample(r, state.id);
      r.path.pop();
      if (t < minMs) minMs = t;
      if (t > maxMs) maxMs = t;
    } else if (tag === SERIES_EXEMPLARS) {
      r.lengthDelimited();
      exemplars++;
    } else if (tag === SERIES_HISTOGRAMS) {
      r.lengthDelimited();
      histograms++;
    } else if (tag === SERIES_LABELS) {
      labelsLater = true;
      break;
    } else {
      skipField(r, tag, SERIES_FIELDS);
    }
  }
  if (labelsLater || (resolved.count > mark && !state.refs!.accepts(ref, minMs, maxMs))) {
    resolved.count = mark;
    r.pos = seriesStart;
    if (labelsLater) {
      hash[0] = 0;
      hash[1] = 0;
    }
    return false;
  }
  state.exemplars += exemplars;
  if (histograms > 0) state.histogramSeries++;
  return true;
}

function readSeries(r: ProtoReader, out: MetricSeries[], state: RequestState): void {
  const labels: Label[] = [];
  const timestampsMs: number[] = [];
  const values: number[] = [];
  let staleIndexes: number[] | undefined;
  let histograms = 0;
  /** A label field after some other field: the leading run's hash does not name the series. */
  let scattered = false;
  let other = false;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag !== SERIES_LABELS) other = true;
    switch (tag) {
      case SERIES_LABELS:
        if (other) scattered = true;
        r.path.push('labels', labels.length);
        labels.push(readLabel(r, state));
        r.path.pop();
        break;
      case SERIES_SAMPLES:
        r.path.push('samples', values.length);
        if (readSample(r, timestampsMs, values)) (staleIndexes ??= []).push(values.length - 1);
        r.path.pop();
        break;
      case SERIES_EXEMPLARS:
        r.lengthDelimited();
        state.exemplars++;
        break;
      case SERIES_HISTOGRAMS:
        r.lengthDelimited();
        histograms++;
        break;
      default:
        skipField(r, tag, SERIES_FIELDS);
    }
  }
  if (histograms > 0) state.histogramSeries++;
  if (values.length === 0) return;
  // Always the same properties per mode, so every series object shares one hidden class.
  if (state.refs === undefined) {
    out.push({ labels, timestampsMs, values, staleIndexes });
    return;
  }
  const known = !scattered && (state.hash[0] !== 0 || state.hash[1] !== 0);
  out.push({
    labels,
    timestampsMs,
    values,
    staleIndexes,
    labelBytesHigh: known ? state.hash[0] : undefined,
    labelBytesLow: known ? state.hash[1] : undefined,
  });
}

/**
 * Reads a Label, shared with every earlier label of the request that has the same bytes (labels
 * are read-only, so series can share them).
 */
function readLabel(r: ProtoReader, state: RequestState): Label {
  const outer = r.enter();
  const labels = (state.labels ??= new ByteKeyedCache(r.buf, r.view));
  const known = labels.find(r.pos, r.limit);
  if (known !== undefined) {
    r.pos = r.limit;
    r.leave(outer);
    return known;
  }
  const strings = (state.strings ??= new ByteKeyedCache(r.buf, r.view));
  let name = '';
  let value = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === LABEL_NAME) name = internedString(r, strings);
    else if (tag === LABEL_VALUE) value = internedString(r, strings);
    else skipField(r, tag, LABEL_FIELDS);
  }
  r.leave(outer);
  const label: Label = { name, value };
  labels.add(label);
  return label;
}

/** Reads a string field, decoding its bytes only the first time they occur in the request. */
function internedString(r: ProtoReader, strings: ByteKeyedCache<string>): string {
  const at = r.pos;
  const start = r.lengthDelimited();
  if (start === r.pos) return '';
  const known = strings.find(start, r.pos);
  if (known !== undefined) return known;
  r.pos = at;
  const value = r.string();
  strings.add(value);
  return value;
}

function readMetadata(r: ProtoReader): MetricMetadata {
  const outer = r.enter();
  let type = 0;
  let metricFamilyName = '';
  let help = '';
  let unit = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case METADATA_TYPE:
        type = r.int32();
        break;
      case METADATA_FAMILY_NAME:
        metricFamilyName = r.string();
        break;
      case METADATA_HELP:
        help = r.string();
        break;
      case METADATA_UNIT:
        unit = r.string();
        break;
      default:
        skipField(r, tag, METADATA_FIELDS);
    }
  }
  r.leave(outer);
  return { metricFamilyName, type: metricTypeFromNumber(type), help, unit };
}
