import { describe, expect, it } from 'vitest';
import { SettingsTracker } from './settings-tracker.ts';

describe('SettingsTracker', () => {
  it('says nothing on the first round and reports changed, added and removed settings after', () => {
    const t = new SettingsTracker();
    expect(
      t.update(
        new Map([
          ['work_mem', '4096 kB'],
          ['jit', 'on'],
        ]),
        1,
      ),
    ).toEqual([]);
    const changes = t.update(
      new Map([
        ['work_mem', '65536 kB'],
        ['pg_stat_statements.max', '5000'],
      ]),
      2,
    );
    expect(changes.map((c) => [c.action, c.summary])).toEqual([
      ['changed', 'work_mem: 4096 kB → 65536 kB'],
      ['removed', 'jit went away (was on)'],
      ['added', 'pg_stat_statements.max appeared: 5000'],
    ]);
    expect(changes[0]).toMatchObject({
      kind: 'setting',
      object: 'setting work_mem',
      objectName: 'work_mem',
      before: '4096 kB',
      after: '65536 kB',
      timeMs: 2,
    });
  });

  it('reports nothing when the values are the same', () => {
    const t = new SettingsTracker();
    t.update(new Map([['a', '1']]), 1);
    expect(t.update(new Map([['a', '1']]), 2)).toEqual([]);
  });
});
