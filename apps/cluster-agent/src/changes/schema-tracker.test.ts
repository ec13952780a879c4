import { describe, expect, it } from 'vitest';
import { SchemaTracker } from './schema-tracker.ts';
import { SchemaBuilder, type DatabaseSchema } from './schema-snapshot.ts';

function oneTable(...columns: string[]): DatabaseSchema {
  const b = new SchemaBuilder();
  for (const c of columns) b.addColumn('public', 't', c, 'integer');
  return b.build();
}

describe('SchemaTracker', () => {
  it('takes the first list of databases and the first snapshot of each as the baseline', () => {
    const t = new SchemaTracker();
    expect(t.databases(['a', 'b'], 1)).toEqual([]);
    expect(t.snapshot('a', oneTable('x'), 1)).toEqual([]);
    expect(t.snapshot('a', oneTable('x', 'y'), 2).map((c) => c.summary)).toEqual([
      'column public.t.y added (integer)',
    ]);
  });

  it('reports databases created and dropped, and forgets a dropped database', () => {
    const t = new SchemaTracker();
    t.databases(['a', 'b'], 1);
    t.snapshot('b', oneTable('x'), 1);
    expect(t.databases(['a', 'c'], 2).map((c) => c.summary)).toEqual([
      'database c created',
      'database b dropped',
    ]);
    // b comes back: a fresh baseline, not a diff against the old b.
    t.databases(['a', 'b', 'c'], 3);
    expect(t.snapshot('b', oneTable('z'), 3)).toEqual([]);
  });

  it('keeps the previous snapshot of a database not read this time', () => {
    const t = new SchemaTracker();
    t.databases(['a'], 1);
    t.snapshot('a', oneTable('x'), 1);
    t.databases(['a'], 2); // a round where a was not read
    expect(t.snapshot('a', oneTable('x'), 3)).toEqual([]);
  });
});
