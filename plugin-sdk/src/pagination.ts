import { z } from 'zod';
import type { Knex } from 'knex';
import { selectPrepared } from './prepared-select.js';

/** The list query every collection route shares: page (1-based), page_size, sort (`-field` = desc), q. */
export function listQuerySchema<const F extends readonly [string, ...string[]]>(sortable: F) {
  const sortValues = sortable.flatMap((field) => [field, `-${field}`]) as [string, ...string[]];
  return z.object({
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(200).default(50),
    sort: z.enum(sortValues).optional(),
    q: z.string().max(200).optional(),
  });
}

export interface ListQuery {
  page: number;
  page_size: number;
  sort?: string | undefined;
  q?: string | undefined;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), page_size: z.number().int() });
}

/** Parses `-field` into a column and direction. */
export function parseSort(sort: string | undefined, fallback: string): { column: string; direction: 'asc' | 'desc' } {
  const value = sort ?? fallback;
  return value.startsWith('-') ? { column: value.slice(1), direction: 'desc' } : { column: value, direction: 'asc' };
}

/** Total rows a (filtered, unordered) query would return, for paged answers. */
export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await selectPrepared<{ total?: string | number }>(query.clone().clearSelect().clearOrder().count({ total: '*' }));
  return Number(row?.total ?? 0);
}

/**
 * One page of a filtered query and the total, in one round trip (`count(*) over ()`); only a page
 * past the end costs a second query for the total.
 */
export async function fetchPage<T extends Record<string, unknown>>(
  query: Knex.QueryBuilder,
  list: ListQuery,
  order: { column: string; direction: 'asc' | 'desc' },
  columns: string[] = ['*'],
): Promise<{ items: T[]; total: number }> {
  const rows = await selectPrepared<T & { __total: string }>(query
    .clone()
    .select([...columns, query.client.raw('count(*) over () as __total')])
    .orderBy(order.column, order.direction)
    .orderBy('id')
    .limit(list.page_size)
    .offset((list.page - 1) * list.page_size));
  const total = rows.length > 0 ? Number(rows[0]!.__total) : await countRows(query);
  return { items: rows.map(({ __total: _, ...row }) => row as unknown as T), total };
}
