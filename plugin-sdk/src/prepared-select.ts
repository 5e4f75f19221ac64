import type { Knex } from 'knex';

interface PgConnection {
  query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

// Statement names by SQL text. Only the first MAX_NAMED distinct texts get one: a query whose text
// varies without bound (a whereIn list of any length) then runs unnamed instead of growing every
// connection's statement cache for good.
const names = new Map<string, string>();
const MAX_NAMED = 256;

/**
 * Runs a select built with knex as a named prepared statement, on a connection of the builder's own
 * pool (or its transaction's connection). PostgreSQL then parses and plans each distinct statement
 * once per connection instead of on every call, and the call skips knex's query runner; for a small,
 * hot read that is most of the database's and the driver's work (docs/adr/0006-prepared-hot-reads.md).
 * The rows are the ones knex would return (same driver, same type parsers).
 */
export async function selectPrepared<T>(query: Knex.QueryBuilder): Promise<T[]> {
  const { sql, bindings } = query.toSQL().toNative();
  let name = names.get(sql);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `oneservice_${names.size}`;
    names.set(sql, name);
  }
  const client = query.client as Knex.Client;
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    return (await connection.query({ name, text: sql, values: bindings })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
