export { decodeRemoteWrite1 } from './decode-v1.ts';
export { decodeRemoteWrite2 } from './decode-v2.ts';
export { encodeRemoteWrite1 } from './encode-v1.ts';
export { encodeRemoteWrite2, type RemoteWrite2Options } from './encode-v2.ts';
export type {
  ExemplarInput,
  NativeHistogramInput,
  RemoteWrite1Input,
  RemoteWrite2Input,
  RemoteWriteSeriesInput,
  SeriesMetadataInput,
} from './encode-input.ts';
export { metricFamilyName } from './metric-type.ts';
export { remoteWriteVersionFromContentType, type RemoteWriteVersion } from './content-type.ts';
export {
  decompressSnappyBlock,
  looksLikeSnappyBlock,
  snappyDecodedLength,
  SnappyDecompressor,
} from './snappy.ts';
export {
  EXEMPLARS_WRITTEN_HEADER,
  HISTOGRAMS_WRITTEN_HEADER,
  SAMPLES_WRITTEN_HEADER,
  remoteWriteWrittenHeaders,
  type RemoteWriteWrittenCounts,
} from './response-headers.ts';
