// Raw statements (Database.query) read whole rows of a table under a prefix and get back the same typed
// row a Drizzle select would give: the column list and the mapping come from the table definition, so
// a column added to the schema is read by the hot path's statements too.
import { getTableColumns } from 'drizzle-orm';
import type { InferSelectModel } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

interface Shape {
  /** [property, column] pairs, in the table's order. */
  columns: Array<[string, PgColumn]>;
}

const shapes = new WeakMap<PgTable, Shape>();

function shapeOf(table: PgTable): Shape {
  let shape = shapes.get(table);
  if (!shape) {
    shape = { columns: Object.entries(getTableColumns(table)) as Array<[string, PgColumn]> };
    shapes.set(table, shape);
  }
  return shape;
}

/** `alias.col AS "prefix.col", ...`: every column of the table, named so that rowFrom can find them. */
export function selectColumns(table: PgTable, alias: string, prefix: string): string {
  return shapeOf(table)
    .columns.map(([, c]) => `${alias}.${c.name} AS "${prefix}.${c.name}"`)
    .join(', ');
}

/** `json_build_object('prefix.col', alias.col, ...)`: a whole row as one JSON value that rowFrom reads. */
export function jsonColumns(table: PgTable, alias: string, prefix: string): string {
  return `json_build_object(${shapeOf(table)
    .columns.map(([, c]) => `'${prefix}.${c.name}', ${alias}.${c.name}`)
    .join(', ')})`;
}

/**
 * The typed row read under `prefix` (undefined when its primary key is null: a LEFT JOIN that found
 * nothing). Values go through each column's own driver mapping, as Drizzle's selects do.
 */
export function rowFrom<T extends PgTable>(table: T, raw: Record<string, unknown>, prefix: string): InferSelectModel<T> | undefined {
  if (raw[`${prefix}.id`] === null || raw[`${prefix}.id`] === undefined) return undefined;
  const row: Record<string, unknown> = {};
  for (const [key, column] of shapeOf(table).columns) {
    const value = raw[`${prefix}.${column.name}`];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
