import { describe, expect, it } from 'vitest';
import { decodeTracesProtobuf } from './traces-protobuf.ts';
import {
  encodeTracesExportRequest,
  OUTGOING_SPAN_KIND,
  OUTGOING_SPAN_STATUS,
} from './traces-protobuf-encode.ts';

const id = (hex: string): Buffer => Buffer.from(hex, 'hex');

describe('encodeTracesExportRequest', () => {
  it('produces bodies the OTLP decoder reads back to the same spans', () => {
    const body = encodeTracesExportRequest([
      {
        resourceAttributes: { 'service.name': '/host/api', 'container.id': '/host/api' },
        scopeName: 'vigil-node-agent-ebpf',
        scopeVersion: '0.1.0',
        spans: [
          {
            traceId: id('5b8efff798038103d269b633813fc60c'),
            spanId: id('eee19b7ec3c1b174'),
            name: 'GET /users',
            kind: OUTGOING_SPAN_KIND.client,
            startTimeUnixNano: 1_764_000_000_000_000_000n,
            endTimeUnixNano: 1_764_000_000_012_345_678n,
            attributes: { 'http.method': 'GET', 'http.status_code': 503, 'net.peer.port': 8080 },
            statusCode: OUTGOING_SPAN_STATUS.error,
            statusMessage: 'HTTP 503',
          },
          {
            traceId: id('00000000000000000000000000000001'),
            spanId: id('0000000000000002'),
            parentSpanId: id('0000000000000003'),
            name: 'query',
            kind: OUTGOING_SPAN_KIND.server,
            startTimeUnixNano: 5n,
            endTimeUnixNano: 7n,
            attributes: {},
            statusCode: OUTGOING_SPAN_STATUS.unset,
          },
        ],
      },
      { resourceAttributes: {}, scopeName: 'x', scopeVersion: '', spans: [] },
    ]);
    const spans = decodeTracesProtobuf(body);
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      name: 'GET /users',
      kind: 'Client',
      startTimeUnixNano: 1_764_000_000_000_000_000n,
      durationNs: 12_345_678,
      statusCode: 'Error',
      statusMessage: 'HTTP 503',
      serviceName: '/host/api',
      scopeName: 'vigil-node-agent-ebpf',
    });
    expect(spans[0]?.attributes['http.status_code']).toBe('503'); // the decoder keeps attribute values as text
    expect(spans[0]?.attributes['http.method']).toBe('GET');
    expect(spans[1]).toMatchObject({
      parentSpanId: '0000000000000003',
      kind: 'Server',
      statusCode: 'Unset',
      durationNs: 2,
    });
  });

  it('writes negative and large integer attributes, and times past 2^63, as the decoder reads them', () => {
    const body = encodeTracesExportRequest([
      {
        resourceAttributes: { 'service.name': 'a' },
        scopeName: 's',
        scopeVersion: '',
        spans: [
          {
            traceId: id('00000000000000000000000000000009'),
            spanId: id('0000000000000009'),
            name: 'n',
            kind: OUTGOING_SPAN_KIND.internal,
            startTimeUnixNano: 0xffff_ffff_0000_0001n,
            endTimeUnixNano: 0xffff_ffff_0000_0002n,
            attributes: { neg: -7, big: 2 ** 40 + 3, frac: 2.9, empty: '' },
            statusCode: OUTGOING_SPAN_STATUS.unset,
            statusMessage: 'only a message',
          },
        ],
      },
    ]);
    const [span] = decodeTracesProtobuf(body);
    expect(span?.startTimeUnixNano).toBe(0xffff_ffff_0000_0001n);
    expect(span?.durationNs).toBe(1);
    expect(span?.attributes).toMatchObject({ neg: '-7', big: String(2 ** 40 + 3), frac: '2' });
    expect(span?.statusMessage).toBe('only a message');
  });

  it('refuses ids of the wrong length', () => {
    expect(() =>
      encodeTracesExportRequest([
        {
          resourceAttributes: {},
          scopeName: 's',
          scopeVersion: '',
          spans: [
            {
              traceId: id('01'),
              spanId: id('0000000000000002'),
              name: 'bad',
              kind: OUTGOING_SPAN_KIND.client,
              startTimeUnixNano: 1n,
              endTimeUnixNano: 2n,
              attributes: {},
              statusCode: OUTGOING_SPAN_STATUS.ok,
            },
          ],
        },
      ]),
    ).toThrow(/trace id must be 16 bytes/);
  });
});
