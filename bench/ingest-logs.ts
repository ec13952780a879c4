/**
 * OTLP/HTTP log ingest: log records/s, server CPU-seconds per million records and peak RSS
 * against the goals, the engine's own Native insert rate on the same rows and the ratio. Details
 * and options in lib/run-ingest-bench.ts. Run on an idle machine: npm run bench:ingest-logs [-- --seconds 30]
 */
import { runIngestBench } from './lib/run-ingest-bench.ts';

await runIngestBench('logs');
