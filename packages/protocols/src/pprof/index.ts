/** pprof and folded profiles: decoding into stack records, and encoding for tests and agents. */
export { decodePprof, type PprofDecodeOptions } from './pprof-decode.ts';
export {
  encodePprof,
  type PprofFrame,
  type PprofProfileInput,
  type PprofSampleInput,
} from './pprof-encode.ts';
export { formatFolded, parseFolded } from './folded.ts';
export { gunzipIfNeeded, isGzip } from './gzip-body.ts';
export {
  profileTypeName,
  type DecodedProfile,
  type ProfileStackRecord,
  type ProfileTypeName,
} from './records.ts';
