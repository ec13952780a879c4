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
import type { Label, MetricMetadata, MetricsBatch, MetricSeries } from '../metrics/records.ts';
import { fieldTag, ProtoReader } from '../protobuf/reader.ts';
import { metricTypeFromNumber } from './metric-type.ts';
import { ByteKeyedCache } from './byte-keyed-cache.ts';
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
  readonly labels: ByteKeyedCache<Label>;
  /** Names and values of the pairs `labels` has not seen yet. */
  readonly strings: ByteKeyedCache<string>;
  exemplars: number;
  histogramSeries: number;
}

/**
 * Decodes a remote write 1.0 `WriteRequest` body (after snappy decompression).
 *
 * Series come out in request order with labels as sent. A series that carries native histograms
 * is counted in `nativeHistogramSeries` (its histograms are not decoded); exemplars are counted
 * in `exemplarsDropped`. A series left without float samples (histogram- or exemplar-only, or
 * empty) is not listed, since there is nothing of it to store. Staleness markers are found from
 * the raw bits and listed in `staleIndexes`.
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf, including a known field sent
 *   with the wrong wire type; the message names the field path and byte offset.
 */
export function decodeRemoteWrite1(body: Uint8Array): MetricsBatch {
  const r = new ProtoReader(body);
  const series: MetricSeries[] = [];
  const metadata: MetricMetadata[] = [];
  const state: RequestState = {
    labels: new ByteKeyedCache(r.buf, r.view),
    strings: new ByteKeyedCache(r.buf, r.view),
    exemplars: 0,
    histogramSeries: 0,
  };
  let seriesIndex = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_TIMESERIES) {
      r.path.push('timeseries', seriesIndex++);
      readSeries(r, series, state);
      r.path.pop();
    } else if (tag === REQUEST_METADATA) {
      r.path.push('metadata', metadata.length);
      metadata.push(readMetadata(r));
      r.path.pop();
    } else {
      skipField(r, tag, REQUEST_FIELDS);
    }
  }
  return {
    series,
    metadata,
    exemplarsDropped: state.exemplars,
    nativeHistogramSeries: state.histogramSeries,
  };
}

function readSeries(r: ProtoReader, out: MetricSeries[], state: RequestState): void {
  const outer = r.enter();
  const labels: Label[] = [];
  const timestampsMs: number[] = [];
  const values: number[] = [];
  let staleIndexes: number[] | undefined;
  let histograms = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SERIES_LABELS:
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
  r.leave(outer);
  if (histograms > 0) state.histogramSeries++;
  // Always the same four properties, so every series object shares one hidden class.
  if (values.length > 0) out.push({ labels, timestampsMs, values, staleIndexes });
}

/**
 * Reads a Label, shared with every earlier label of the request that has the same bytes (labels
 * are read-only, so series can share them).
 */
function readLabel(r: ProtoReader, state: RequestState): Label {
  const outer = r.enter();
  const known = state.labels.find(r.pos, r.limit);
  if (known !== undefined) {
    r.pos = r.limit;
    r.leave(outer);
    return known;
  }
  const strings = state.strings;
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
  state.labels.add(label);
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
