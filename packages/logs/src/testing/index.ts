/** Helpers for tests and benchmarks of log processing (not part of the runtime API). */
export {
  LOGHUB_DIR,
  loghubAvailable,
  readLoghubStructured,
  splitCsvLine,
  type LoghubStructuredSample,
} from './loghub-structured.ts';
