/**
 * The schema changes between two snapshots of one database, one DatabaseChange per table added
 * or dropped, and per column or index added, dropped or changed in a table present in both:
 *
 *   before                         after                          changes
 *   orders (id int)                orders (id int, note text)     column public.orders.note added (text)
 *   orders_pkey (… USING btree…)   (gone)                         index public.orders_pkey dropped
 *   invoices (…)                   (gone)                         table public.invoices dropped
 *
 * A table dropped and created again between two snapshots with the same shape is no change.
 */
import type { DatabaseChange } from './database-change.ts';
import type { DatabaseSchema, TableShape } from './schema-snapshot.ts';

/** `public.orders` on Postgres; `shop.orders` on MySQL (database.table). */
function qualified(database: string, table: TableShape): string {
  return `${table.schema === '' ? database : table.schema}.${table.name}`;
}

type Action = NonNullable<DatabaseChange['action']>;
const VERB: Record<Action, string> = { added: 'added', removed: 'dropped', changed: 'changed' };

function change(
  database: string,
  table: TableShape,
  timeMs: number,
  what: {
    readonly object: string;
    readonly action: Action;
    readonly before?: string;
    readonly after?: string;
  },
  attributes?: Record<string, string>,
): DatabaseChange {
  const detail =
    what.action === 'changed'
      ? `: ${what.before ?? ''} → ${what.after ?? ''}`
      : what.action === 'added' && what.after !== undefined
        ? ` (${what.after})`
        : '';
  return {
    timeMs,
    kind: 'schema',
    action: what.action,
    object: what.object,
    objectName: table.name,
    database,
    ...(table.schema === '' ? {} : { schema: table.schema }),
    summary: `${what.object} ${VERB[what.action]}${detail}`,
    ...(what.before === undefined ? {} : { before: what.before }),
    ...(what.after === undefined ? {} : { after: what.after }),
    ...(attributes === undefined ? {} : { attributes }),
  };
}

/** Added, removed and changed entries of two maps, each as [name, before, after]. */
function* mapDiff(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): Generator<[string, string | undefined, string | undefined]> {
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now !== was) yield [name, was, now];
  }
  for (const [name, now] of after) if (!before.has(name)) yield [name, undefined, now];
}

const actionOf = (before: string | undefined, after: string | undefined): Action =>
  before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';

function tableChanges(database: string, was: TableShape, now: TableShape, timeMs: number): DatabaseChange[] {
  const out: DatabaseChange[] = [];
  const name = qualified(database, now);
  for (const [column, before, after] of mapDiff(was.columns, now.columns)) {
    const action = actionOf(before, after);
    out.push(
      change(
        database,
        now,
        timeMs,
        {
          object: `column ${name}.${column}`,
          action,
          ...(before === undefined ? {} : { before }),
          ...(after === undefined ? {} : { after }),
        },
        { 'db_change.column': column },
      ),
    );
  }
  for (const [index, before, after] of mapDiff(was.indexes, now.indexes)) {
    const schemaPrefix = now.schema === '' ? `${database}.${now.name}.` : `${now.schema}.`;
    out.push(
      change(
        database,
        now,
        timeMs,
        {
          object: `index ${schemaPrefix}${index}`,
          action: actionOf(before, after),
          ...(before === undefined ? {} : { before }),
          ...(after === undefined ? {} : { after }),
        },
        { 'db_change.index': index },
      ),
    );
  }
  return out;
}

/** The changes from `before` to `after`, both snapshots of `database`. */
export function diffDatabaseSchema(
  database: string,
  before: DatabaseSchema,
  after: DatabaseSchema,
  timeMs: number,
): DatabaseChange[] {
  const out: DatabaseChange[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    if (now === undefined) {
      out.push(
        change(database, was, timeMs, { object: `table ${qualified(database, was)}`, action: 'removed' }),
      );
    } else {
      out.push(...tableChanges(database, was, now, timeMs));
    }
  }
  for (const [key, now] of after) {
    if (before.has(key)) continue;
    const columns = [...now.columns].map(([c, type]) => `${c} ${type}`).join(', ');
    out.push(
      change(database, now, timeMs, {
        object: `table ${qualified(database, now)}`,
        action: 'added',
        after: columns,
      }),
    );
  }
  return out;
}
