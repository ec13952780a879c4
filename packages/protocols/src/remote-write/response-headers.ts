/**
 * The `X-Prometheus-Remote-Write-*-Written` response headers remote write 2.0 requires: how many
 * samples, histogram samples and exemplars of the request were written, sent on success and on
 * failure alike (a sender treats a 2.0 request answered 2xx without them as not understood).
 */

export const SAMPLES_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Samples-Written';
export const HISTOGRAMS_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Histograms-Written';
export const EXEMPLARS_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Exemplars-Written';

export interface RemoteWriteWrittenCounts {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/**
 * The three headers for `counts`, ready for `reply.headers(...)`.
 *
 * @throws RangeError when a count is not a non-negative integer (a bug in the caller, not input).
 */
export function remoteWriteWrittenHeaders(counts: RemoteWriteWrittenCounts): Record<string, string> {
  return {
    [SAMPLES_WRITTEN_HEADER]: countText('samples', counts.samples),
    [HISTOGRAMS_WRITTEN_HEADER]: countText('histograms', counts.histograms),
    [EXEMPLARS_WRITTEN_HEADER]: countText('exemplars', counts.exemplars),
  };
}

function countText(what: string, count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${what} written must be a non-negative integer, got ${count}`);
  }
  return String(count);
}
