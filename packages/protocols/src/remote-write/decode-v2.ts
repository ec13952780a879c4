/**
 * Decoder for Prometheus remote write 2.0 bodies (`io.prometheus.write.v2.Request`, already
 * decompressed) straight into a {@link MetricsBatch}. Field numbers are those of
 * prometheus/prometheus prompb/io/prometheus/write/v2/types.proto:
 *
 * ```
 * Request     symbols = 4, timeseries = 5 (1-3 reserved, so a 1.0 body decodes as empty)
 * TimeSeries  labels_refs = 1 (packed uint32), samples = 2, histograms = 3, exemplars = 4,
 *             metadata = 5, created_timestamp = 6 (deprecated, now reserved; ignored)
 * Sample      value = 1, timestamp = 2, start_timestamp = 3 (ignored)
 * Metadata    type = 1, help_ref = 3, unit_ref = 4
 * ```
 *
 * Every string is an index into `symbols`. Decoding each symbol once per request is what makes
 * 2.0 cheap: the label strings of all series are shared, not decoded per series.
 */
import type { Label, MetricMetadata, MetricsBatch, MetricSeries } from '../metrics/records.ts';
import { fieldTag, ProtoReader } from '../protobuf/reader.ts';
import { metricFamilyName, metricTypeFromNumber } from './metric-type.ts';
import { LEN, messageFields, readSample, skipField, VARINT } from './wire.ts';

const REQUEST_SYMBOLS = fieldTag(4, LEN);
const REQUEST_TIMESERIES = fieldTag(5, LEN);
const REQUEST_FIELDS = messageFields([
  [4, 'symbols', LEN],
  [5, 'timeseries', LEN],
]);

const SERIES_LABELS_REFS_PACKED = fieldTag(1, LEN);
// Parsers must accept a repeated scalar unpacked too, one varint per tag.
const SERIES_LABELS_REFS_SINGLE = fieldTag(1, VARINT);
const SERIES_SAMPLES = fieldTag(2, LEN);
const SERIES_HISTOGRAMS = fieldTag(3, LEN);
const SERIES_EXEMPLARS = fieldTag(4, LEN);
const SERIES_METADATA = fieldTag(5, LEN);
const SERIES_FIELDS = messageFields([
  [1, 'labelsRefs', LEN],
  [2, 'samples', LEN],
  [3, 'histograms', LEN],
  [4, 'exemplars', LEN],
  [5, 'metadata', LEN],
]);

const METADATA_TYPE = fieldTag(1, VARINT);
const METADATA_HELP_REF = fieldTag(3, VARINT);
const METADATA_UNIT_REF = fieldTag(4, VARINT);
const METADATA_FIELDS = messageFields([
  [1, 'type', VARINT],
  [3, 'helpRef', VARINT],
  [4, 'unitRef', VARINT],
]);

/** Per-request state shared by the series decoder. */
interface RequestState {
  readonly symbols: string[];
  readonly series: MetricSeries[];
  readonly metadata: MetricMetadata[];
  /** Family names already in `metadata`: the first series that describes a family wins. */
  readonly describedFamilies: Set<string>;
  /** labels_refs of the series being read; reused, so refs cost no allocation. */
  refs: number[];
  exemplars: number;
  histogramSeries: number;
}

/**
 * Decodes a remote write 2.0 `Request` body (after snappy decompression).
 *
 * Series come out in request order with labels as sent. Native histograms and exemplars are
 * counted (`nativeHistogramSeries`, `exemplarsDropped`), not decoded; a series left without
 * float samples is not listed. Per-series metadata becomes one {@link MetricMetadata} per metric
 * family (see {@link metricFamilyName}), the first description of a family in the request
 * winning; metadata that says nothing (type unspecified, no help, no unit) or belongs to a
 * series without `__name__` is left out.
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf, a known field with the wrong
 *   wire type, an odd number of labels_refs, or a symbol reference outside `symbols`; the
 *   message names the field path and byte offset.
 */
export function decodeRemoteWrite2(body: Uint8Array): MetricsBatch {
  const r = new ProtoReader(body);
  const state: RequestState = {
    symbols: [],
    series: [],
    metadata: [],
    describedFamilies: new Set(),
    refs: [],
    exemplars: 0,
    histogramSeries: 0,
  };
  // Fields may come in any order, so the symbol table is collected first and the series are
  // decoded in a second pass (skipping a series by its length prefix costs next to nothing).
  let seriesCount = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_SYMBOLS) {
      r.path.push('symbols', state.symbols.length);
      state.symbols.push(r.string());
      r.path.pop();
    } else if (tag === REQUEST_TIMESERIES) {
      r.path.push('timeseries', seriesCount++);
      r.lengthDelimited();
      r.path.pop();
    } else {
      skipField(r, tag, REQUEST_FIELDS);
    }
  }
  r.pos = 0;
  let seriesIndex = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_TIMESERIES) {
      r.path.push('timeseries', seriesIndex++);
      readSeries(r, state);
      r.path.pop();
    } else {
      r.skip(tag); // already checked by the first pass
    }
  }
  return {
    series: state.series,
    metadata: state.metadata,
    exemplarsDropped: state.exemplars,
    nativeHistogramSeries: state.histogramSeries,
  };
}

function readSeries(r: ProtoReader, state: RequestState): void {
  const outer = r.enter();
  const refs = state.refs;
  let refCount = 0;
  let refsAt = -1;
  const timestampsMs: number[] = [];
  const values: number[] = [];
  let staleIndexes: number[] | undefined;
  let histograms = 0;
  let metadataAt = -1;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SERIES_LABELS_REFS_PACKED: {
        if (refsAt < 0) refsAt = r.pos;
        r.path.push('labelsRefs');
        const refsOuter = r.enter();
        while (r.pos < r.limit) refs[refCount++] = r.uint32();
        r.leave(refsOuter);
        r.path.pop();
        break;
      }
      case SERIES_LABELS_REFS_SINGLE:
        if (refsAt < 0) refsAt = r.pos;
        r.path.push('labelsRefs');
        refs[refCount++] = r.uint32();
        r.path.pop();
        break;
      case SERIES_SAMPLES:
        r.path.push('samples', values.length);
        if (readSample(r, timestampsMs, values)) (staleIndexes ??= []).push(values.length - 1);
        r.path.pop();
        break;
      case SERIES_HISTOGRAMS:
        r.lengthDelimited();
        histograms++;
        break;
      case SERIES_EXEMPLARS:
        r.lengthDelimited();
        state.exemplars++;
        break;
      case SERIES_METADATA:
        // Read once the labels are known (it needs __name__), which may be after this field.
        metadataAt = r.pos;
        r.lengthDelimited();
        break;
      default:
        skipField(r, tag, SERIES_FIELDS);
    }
  }
  const labels = resolveLabels(r, state, refCount, refsAt);
  if (metadataAt >= 0) {
    const end = r.pos;
    r.pos = metadataAt;
    r.path.push('metadata');
    readMetadata(r, state, labels);
    r.path.pop();
    r.pos = end;
  }
  r.leave(outer);
  if (histograms > 0) state.histogramSeries++;
  // Always the same four properties, so every series object shares one hidden class.
  if (values.length > 0) state.series.push({ labels, timestampsMs, values, staleIndexes });
}

/** Turns the series' labels_refs into labels; `refsAt` is where they start, for errors. */
function resolveLabels(r: ProtoReader, state: RequestState, refCount: number, refsAt: number): Label[] {
  const refs = state.refs;
  const symbols = state.symbols;
  if (refCount % 2 !== 0) {
    r.fail(`labelsRefs has ${refCount} entries; it must hold name/value pairs`, 'labelsRefs', refsAt);
  }
  const labels: Label[] = [];
  for (let i = 0; i < refCount; i += 2) {
    const nameRef = refs[i]!;
    const valueRef = refs[i + 1]!;
    if (nameRef >= symbols.length) refOutOfRange(r, nameRef, symbols.length, `labelsRefs[${i}]`, refsAt);
    if (valueRef >= symbols.length) {
      refOutOfRange(r, valueRef, symbols.length, `labelsRefs[${i + 1}]`, refsAt);
    }
    labels.push({ name: symbols[nameRef]!, value: symbols[valueRef]! });
  }
  return labels;
}

function refOutOfRange(
  r: ProtoReader,
  ref: number,
  symbolCount: number,
  leaf: string,
  offset: number = r.pos,
): never {
  return r.fail(
    `symbol reference ${ref} is out of range (the request has ${symbolCount} symbols)`,
    leaf,
    offset,
  );
}

function readMetadata(r: ProtoReader, state: RequestState, labels: readonly Label[]): void {
  const outer = r.enter();
  let type = 0;
  let helpRef = 0;
  let unitRef = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case METADATA_TYPE:
        type = r.int32();
        break;
      case METADATA_HELP_REF:
        helpRef = r.uint32();
        if (helpRef > 0 && helpRef >= state.symbols.length) {
          refOutOfRange(r, helpRef, state.symbols.length, 'helpRef');
        }
        break;
      case METADATA_UNIT_REF:
        unitRef = r.uint32();
        if (unitRef > 0 && unitRef >= state.symbols.length) {
          refOutOfRange(r, unitRef, state.symbols.length, 'unitRef');
        }
        break;
      default:
        skipField(r, tag, METADATA_FIELDS);
    }
  }
  r.leave(outer);
  // Ref 0 is the field's default, so it reads as '' even from a request without symbols
  // (which breaks the rule that symbols[0] is '', but an explicit 0 must mean what an omitted one does).
  const help = state.symbols[helpRef] ?? '';
  const unit = state.symbols[unitRef] ?? '';
  if (type === 0 && help === '' && unit === '') return;
  let metricName: string | undefined;
  for (const label of labels) if (label.name === '__name__') metricName = label.value;
  if (metricName === undefined) return;
  const metricType = metricTypeFromNumber(type);
  const family = metricFamilyName(metricName, metricType);
  if (state.describedFamilies.has(family)) return;
  state.describedFamilies.add(family);
  state.metadata.push({ metricFamilyName: family, type: metricType, help, unit });
}
