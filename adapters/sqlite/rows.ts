// SQLite's side of the translation between records and rows: better-sqlite3 binds and returns dates
// as INTEGER milliseconds, booleans as 0/1 and arrays and objects as JSON text. The columns and the
// row readers themselves are shared with the other SQL adapters (adapters/sql/).

import { createRowReaders } from '../sql/rows';
import { snake } from '../sql/schema';

/** A value better-sqlite3 can bind. */
export type SqlValue = string | number | bigint | Buffer | null;

export function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value as SqlValue;
}

/** A record (or patch) as named statement parameters keyed by column. */
export function toParams(record: object): Record<string, SqlValue> {
  const params: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(record)) params[snake(key)] = toSqlValue(value);
  return params;
}

export const readers = createRowReaders({
  date: (value) => new Date(value as number),
  bool: (value) => value === 1,
  json: <T>(value: unknown) => JSON.parse(value as string) as T,
});
