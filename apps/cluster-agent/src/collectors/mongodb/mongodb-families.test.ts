import { describe, expect, it } from 'vitest';
import { mongoFamilies } from './mongodb-families.ts';

const address = '10.0.0.9:27017';
const byName = (families: ReturnType<typeof mongoFamilies>) =>
  Object.fromEntries(families.map((f) => [f.name, f.samples.map((s) => [s.labels, s.value])]));

describe('MongoDB answers as series', () => {
  it('a standalone server: version and database sizes, no replica set series', () => {
    const f = byName(
      mongoFamilies(address, {
        buildInfo: { version: '7.0.14', gitVersion: 'ce59…' } as { version: string },
        databases: [
          { name: 'admin', sizeOnDisk: 40960, empty: false } as { name: string; sizeOnDisk: number },
          { name: 'shop', sizeOnDisk: 7_340_032 },
          { name: 'broken' },
        ],
      }),
    );
    expect(f).toEqual({
      mongo_up: [[{ address }, 1]],
      mongo_info: [[{ address, server_version: '7.0.14' }, 1]],
      mongo_database_size_bytes: [
        [{ address, db: 'admin' }, 40960],
        [{ address, db: 'shop' }, 7_340_032],
      ],
    });
  });

  it("a replica set member: its own role and last applied time, not the other members'", () => {
    const applied = new Date('2026-11-27T08:00:00.000Z');
    const f = byName(
      mongoFamilies(address, {
        buildInfo: { version: '6.0.19' },
        replSetStatus: {
          set: 'rs0',
          members: [
            { self: false, stateStr: 'PRIMARY', optimeDate: new Date('2026-11-27T08:00:05.000Z') },
            {
              self: true,
              stateStr: 'SECONDARY',
              optimeDate: new Date(0),
              optimes: { lastAppliedWallTime: applied },
            },
          ],
        },
        databases: [],
      }),
    );
    expect(f['mongo_rs_status']).toEqual([[{ address, rs: 'rs0', role: 'secondary' }, 1]]);
    expect(f['mongo_rs_last_applied_timestamp_ms']).toEqual([[{ address, rs: 'rs0' }, applied.getTime()]]);
    expect(f['mongo_database_size_bytes']).toBeUndefined();
  });

  it('falls back to optimeDate when the server has no optimes (older versions)', () => {
    const f = byName(
      mongoFamilies(address, {
        buildInfo: { version: '4.0.28' },
        replSetStatus: {
          set: 'rs1',
          members: [{ self: true, stateStr: 'PRIMARY', optimeDate: '2026-11-27T07:59:00Z' }],
        },
        databases: [],
      }),
    );
    expect(f['mongo_rs_last_applied_timestamp_ms']).toEqual([
      [{ address, rs: 'rs1' }, Date.parse('2026-11-27T07:59:00Z')],
    ]);
  });
});
