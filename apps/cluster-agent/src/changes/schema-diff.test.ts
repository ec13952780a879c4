import { describe, expect, it } from 'vitest';
import { diffDatabaseSchema } from './schema-diff.ts';
import { SchemaBuilder, type DatabaseSchema } from './schema-snapshot.ts';

type Table = { columns?: Record<string, string>; indexes?: Record<string, string> };

/** A snapshot from `{ 'schema.table': { columns, indexes } }` (no dot: a MySQL table). */
function snapshot(tables: Record<string, Table>): DatabaseSchema {
  const b = new SchemaBuilder();
  for (const [key, t] of Object.entries(tables)) {
    const [schema, name] = key.includes('.') ? (key.split('.') as [string, string]) : ['', key];
    for (const [c, type] of Object.entries(t.columns ?? {})) b.addColumn(schema, name, c, type);
    for (const [i, def] of Object.entries(t.indexes ?? {})) b.addIndex(schema, name, i, def);
  }
  return b.build();
}

const orders: Table = {
  columns: { id: 'integer NOT NULL', note: 'text' },
  indexes: { orders_pkey: 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)' },
};

describe('diffDatabaseSchema', () => {
  const cases: Array<{
    name: string;
    before: Record<string, Table>;
    after: Record<string, Table>;
    want: string[];
  }> = [
    { name: 'no change', before: { 'public.orders': orders }, after: { 'public.orders': orders }, want: [] },
    {
      name: 'a column added',
      before: { 'public.orders': orders },
      after: { 'public.orders': { ...orders, columns: { ...orders.columns, total: 'numeric(10,2)' } } },
      want: ['column public.orders.total added (numeric(10,2))'],
    },
    {
      name: 'a column type changed and one dropped',
      before: { 'public.orders': orders },
      after: { 'public.orders': { ...orders, columns: { id: 'bigint NOT NULL' } } },
      want: [
        'column public.orders.id changed: integer NOT NULL → bigint NOT NULL',
        'column public.orders.note dropped',
      ],
    },
    {
      name: 'an index created',
      before: { 'public.orders': orders },
      after: {
        'public.orders': {
          ...orders,
          indexes: {
            ...orders.indexes,
            orders_note: 'CREATE INDEX orders_note ON public.orders USING btree (note)',
          },
        },
      },
      want: ['index public.orders_note added (CREATE INDEX orders_note ON public.orders USING btree (note))'],
    },
    {
      name: 'a table dropped and another created',
      before: { 'public.orders': orders },
      after: { 'app.items': { columns: { id: 'integer' } } },
      want: ['table public.orders dropped', 'table app.items added (id integer)'],
    },
    {
      name: 'a MySQL table, named by its database',
      before: { items: { columns: { id: 'int(11)' } } },
      after: { items: { columns: { id: 'int(11)', note: 'varchar(20)' } } },
      want: ['column shop.items.note added (varchar(20))'],
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const changes = diffDatabaseSchema('shop', snapshot(c.before), snapshot(c.after), 1000);
      expect(changes.map((ch) => ch.summary)).toEqual(c.want);
    });
  }

  it('names the table, database and schema of a column change as Coroot groups them', () => {
    const [ch] = diffDatabaseSchema(
      'shop',
      snapshot({ 'public.orders': orders }),
      snapshot({ 'public.orders': { ...orders, columns: { id: 'integer NOT NULL' } } }),
      42,
    );
    expect(ch).toMatchObject({
      timeMs: 42,
      kind: 'schema',
      action: 'removed',
      objectName: 'orders',
      database: 'shop',
      schema: 'public',
      before: 'text',
      attributes: { 'db_change.column': 'note' },
    });
    expect(ch?.after).toBeUndefined();
  });
});
