/**
 * The part of a database's schema that change tracking compares between rounds: tables, their
 * columns with a type description, and their indexes with a definition. Collectors build it from
 * their catalog rows with `SchemaBuilder`; what counts as "the same" is string equality of the
 * descriptions, so a collector decides what a description includes (type, NOT NULL, default…).
 */

/** One table: column → type description, index → definition, both in catalog order. */
export interface TableShape {
  /** The Postgres schema; '' on MySQL, where the database is the schema. */
  readonly schema: string;
  readonly name: string;
  readonly columns: ReadonlyMap<string, string>;
  readonly indexes: ReadonlyMap<string, string>;
}

/** One database's tables by `tableKey`. */
export type DatabaseSchema = ReadonlyMap<string, TableShape>;

/** The key of a table within its database: `schema.table`, or `table` on MySQL. */
export const tableKey = (schema: string, name: string): string =>
  schema === '' ? name : `${schema}.${name}`;

interface MutableTable {
  readonly schema: string;
  readonly name: string;
  readonly columns: Map<string, string>;
  readonly indexes: Map<string, string>;
}

/** Collects catalog rows (columns and indexes, in any interleaving) into a DatabaseSchema. */
export class SchemaBuilder {
  readonly #tables = new Map<string, MutableTable>();

  addColumn(schema: string, table: string, column: string, description: string): void {
    this.#table(schema, table).columns.set(column, description);
  }

  addIndex(schema: string, table: string, index: string, definition: string): void {
    this.#table(schema, table).indexes.set(index, definition);
  }

  build(): DatabaseSchema {
    return this.#tables;
  }

  #table(schema: string, name: string): MutableTable {
    const key = tableKey(schema, name);
    let table = this.#tables.get(key);
    if (table === undefined) {
      table = { schema, name, columns: new Map(), indexes: new Map() };
      this.#tables.set(key, table);
    }
    return table;
  }
}
