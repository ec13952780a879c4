import { describe, expect, it } from 'vitest';
import { decodeLogsProtobuf } from './logs-protobuf.ts';
import { encodeLogsExportRequest, type OutgoingResourceLogs } from './logs-protobuf-encode.ts';

const container = (id: string): OutgoingResourceLogs => ({
  resourceAttributes: {
    'service.name': `/docker/${id}`,
    'container.id': `/docker/${id}`,
    'host.name': 'node-1',
  },
  scopeName: 'vigil-node-agent',
  scopeVersion: '0.1.0',
  records: [
    {
      timeUnixNano: 1_764_000_000_123_456_789n,
      severityNumber: 17,
      severityText: 'error',
      body: 'connection to db failed: timeout after 5000 ms — ünïcødé',
      attributes: { 'pattern.hash': 'a1b2c3', 'log.source': 'stdout/stderr', empty: '' },
      traceId: '5B8EFFF798038103D269B633813FC60C',
      spanId: 'eee19b7ec3c1b174',
    },
    {
      timeUnixNano: 1_764_000_001_000_000_000n,
      observedTimeUnixNano: 1_764_000_002_000_000_000n,
      severityNumber: 0,
      severityText: 'unknown',
      body: 'x'.repeat(70_000),
      attributes: {},
      traceId: 'not-hex',
    },
  ],
});

describe('encodeLogsExportRequest', () => {
  it('produces bodies the OTLP decoder reads back to the same records', () => {
    const decoded = decodeLogsProtobuf(encodeLogsExportRequest([container('api'), container('db')]));
    expect(decoded).toHaveLength(4);
    const [first, second, third] = decoded;
    expect(first).toMatchObject({
      timeUnixNano: 1_764_000_000_123_456_789n,
      severityNumber: 17,
      severityText: 'error',
      body: 'connection to db failed: timeout after 5000 ms — ünïcødé',
      attributes: { 'pattern.hash': 'a1b2c3', 'log.source': 'stdout/stderr', empty: '' },
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      serviceName: '/docker/api',
      scopeName: 'vigil-node-agent',
      scopeVersion: '0.1.0',
      resourceAttributes: {
        'service.name': '/docker/api',
        'container.id': '/docker/api',
        'host.name': 'node-1',
      },
    });
    expect(second).toMatchObject({ severityNumber: 0, traceId: '', spanId: '', attributes: {} });
    expect(second?.body).toHaveLength(70_000);
    expect(third?.serviceName).toBe('/docker/db');
  });

  it('leaves out resources without records', () => {
    const empty = { ...container('idle'), records: [] };
    expect(encodeLogsExportRequest([empty])).toHaveLength(0);
    expect(decodeLogsProtobuf(encodeLogsExportRequest([empty, container('api')]))).toHaveLength(2);
  });
});
