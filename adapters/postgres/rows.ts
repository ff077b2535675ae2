// PostgreSQL's side of the translation between records and rows: pg returns `timestamptz` as Date,
// `boolean` as boolean and `json`/`jsonb` parsed, except inside the targets array a user row
// carries, whose dates are epoch milliseconds. The columns and the row readers themselves are
// shared with the other SQL adapters (adapters/sql/).

import { createRowReaders } from '../sql/rows';
import { JSON_COLUMNS, camel } from '../sql/schema';

/** A record field's value as a query parameter for `column`: JSON as text, since pg would send a JS array as a SQL array. */
export function toParam(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

/** The record's values in `columns` order, ready for `INSERT … VALUES ($1, …)`. */
export function toParams(record: object, columns: readonly string[]): unknown[] {
  const values = record as Record<string, unknown>;
  return columns.map((column) => toParam(column, values[camel(column)]));
}

export const readers = createRowReaders({
  date: (value) => (value instanceof Date ? value : new Date(value as number)),
  bool: (value) => value === true,
  json: <T>(value: unknown) => value as T,
});
