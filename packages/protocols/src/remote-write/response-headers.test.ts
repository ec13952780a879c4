import { describe, expect, it } from 'vitest';
import { remoteWriteWrittenHeaders } from './response-headers.ts';

describe('remoteWriteWrittenHeaders', () => {
  it('gives the three X-Prometheus-Remote-Write-*-Written headers as decimal counts', () => {
    expect(remoteWriteWrittenHeaders({ samples: 2000, histograms: 0, exemplars: 12 })).toEqual({
      'X-Prometheus-Remote-Write-Samples-Written': '2000',
      'X-Prometheus-Remote-Write-Histograms-Written': '0',
      'X-Prometheus-Remote-Write-Exemplars-Written': '12',
    });
  });

  it.each([
    { counts: { samples: -1, histograms: 0, exemplars: 0 }, problem: 'samples written must be' },
    { counts: { samples: 0, histograms: 1.5, exemplars: 0 }, problem: 'histograms written must be' },
    { counts: { samples: 0, histograms: 0, exemplars: NaN }, problem: 'exemplars written must be' },
  ])('refuses a count that is not a non-negative integer ($problem)', ({ counts, problem }) => {
    expect(() => remoteWriteWrittenHeaders(counts)).toThrow(RangeError);
    expect(() => remoteWriteWrittenHeaders(counts)).toThrow(problem);
  });
});
