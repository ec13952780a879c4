import { compressSync } from 'snappy';
import { encodeRemoteWrite1, type MetricSeries } from '@vigil/protocols';
import { TEST_API_KEY } from './test-server.ts';

/** Sends `series` to a test server's `/api/v1/write` as remote write 1.0 with the test key. */
export function remoteWrite(server: { api: string }, series: MetricSeries[]): Promise<Response> {
  return fetch(`${server.api}/api/v1/write`, {
    method: 'POST',
    headers: {
      'x-api-key': TEST_API_KEY,
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
    },
    body: compressSync(encodeRemoteWrite1({ series })),
  });
}
