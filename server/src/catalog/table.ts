/**
 * Catalog tables are written as `as const` literals checked against a `Shape` interface, so that their keys
 * (kind names, rule codes, role ids, ...) become literal unions. These helpers turn such a literal into the
 * exported row type and the look-ups every table needs, instead of each table restating them.
 */

/** A table row whose key field `K` is narrowed to the literal union `Id` of the table's keys. */
export type Keyed<Shape, K extends keyof Shape, Id extends string> = Omit<Shape, K> & { readonly [P in K]: Id };

/** Finds a row by key: a known key always finds one; any other string may not. */
export interface Lookup<Row, Id extends string> {
  (key: Id): Row;
  (key: string): Row | undefined;
}

/** A look-up of `rows` by the field `key` (first match). */
export function lookup<Row, K extends keyof Row>(rows: readonly Row[], key: K): Lookup<Row, Extract<Row[K], string>> {
  return ((value: string) => rows.find((row) => row[key] === value)) as Lookup<Row, Extract<Row[K], string>>;
}

/** The keys of `rows`, in table order, and a type guard for them. */
export function keysOf<Row, K extends keyof Row>(
  rows: readonly Row[],
  key: K,
): { readonly keys: readonly Row[K][]; readonly is: (value: string) => value is Extract<Row[K], string> } {
  const keys = rows.map((row) => row[key]);
  const set = new Set<unknown>(keys);
  return { keys, is: (value: string): value is Extract<Row[K], string> => set.has(value) };
}
