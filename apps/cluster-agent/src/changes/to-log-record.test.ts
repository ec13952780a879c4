import { describe, expect, it } from 'vitest';
import { encodeLogsExportRequest } from '@vigil/protocols';
import { changeToLogRecord } from './to-log-record.ts';

describe('changeToLogRecord', () => {
  it('gives a schema change the DatabaseChanges resource and the attributes Coroot reads', () => {
    const { resource, record } = changeToLogRecord(
      {
        timeMs: 1_700_000_000_123,
        kind: 'schema',
        action: 'added',
        object: 'column public.orders.note',
        objectName: 'orders',
        database: 'shop',
        schema: 'public',
        summary: 'column public.orders.note added (text)',
        after: 'text',
        attributes: { 'db_change.column': 'note' },
      },
      { type: 'postgres', address: '10.0.0.5:5432' },
    );
    expect(resource).toEqual({
      'service.name': 'DatabaseChanges',
      'db.system': 'postgresql',
      'db.target': '10.0.0.5:5432',
      'net.peer.name': '10.0.0.5',
      'net.peer.port': '5432',
    });
    expect(record).toMatchObject({
      timeUnixNano: 1_700_000_000_123_000_000n,
      severityNumber: 9,
      severityText: 'INFO',
      body: 'column public.orders.note added (text)',
    });
    expect(record.attributes).toEqual({
      'db.system': 'postgresql',
      'db.target': '10.0.0.5:5432',
      'db.name': 'shop',
      'db_change.schema': 'public',
      'db_change.object': 'orders',
      'db_change.type': 'added',
      'db_change.kind': 'schema',
      'db_change.description': 'column public.orders.note',
      'db_change.after': 'text',
      'db_change.column': 'note',
    });
  });

  it('leaves out the database of a server setting and unwraps an IPv6 host', () => {
    const { resource, record } = changeToLogRecord(
      {
        timeMs: 1,
        kind: 'setting',
        action: 'changed',
        object: 'setting max_connections',
        objectName: 'max_connections',
        summary: 'max_connections: 151 → 152',
        before: '151',
        after: '152',
      },
      { type: 'mysql', address: '[::1]:3306' },
    );
    expect(resource['db.system']).toBe('mysql');
    expect(resource['net.peer.name']).toBe('::1');
    expect(record.attributes['db.name']).toBeUndefined();
    expect(record.attributes['db_change.before']).toBe('151');
    // It encodes as an OTLP request.
    const bytes = encodeLogsExportRequest([
      { resourceAttributes: resource, scopeName: 's', scopeVersion: '1', records: [record] },
    ]);
    expect(bytes.length).toBeGreaterThan(50);
  });

  it('reads a change without action or objectName as Coroot\'s "changed" of the last word of its object', () => {
    const { record } = changeToLogRecord(
      { timeMs: 1, kind: 'setting', object: 'setting work_mem', summary: 'work_mem: 4MB → 64MB' },
      { type: 'postgres', address: 'db:5432' },
    );
    expect(record.attributes['db_change.type']).toBe('changed');
    expect(record.attributes['db_change.object']).toBe('work_mem');
  });
});
