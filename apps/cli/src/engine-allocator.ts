/**
 * Allocator setting for the embedded ClickHouse engine. chDB allocates with its own jemalloc,
 * which reads `JE_MALLOC_CONF` once, when the engine's library loads; main.ts imports this module
 * first so the variable is set by then. ClickHouse builds jemalloc to keep freed pages for 5 s
 * (`dirty_decay_ms:5000`); under steady ingest those pages stacked up under the next insert's
 * peak. With 1 s, bench/ingest-traces peaked at 857-865 MiB instead of 930-944 MiB (two runs
 * each, same build) for about 1 CPU-s more per million spans (docs/perf.md). A value the user
 * set is kept.
 */
process.env.JE_MALLOC_CONF ??= 'dirty_decay_ms:1000';
