import { ProblemError, type LogSearch } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import { compileQuery, parseQuery, QueryMeaningError, QuerySyntaxError, type SqlFragment } from './query/index.js';

/** Longer queries are refused before parsing: nobody types them, and they cost a deep recursion. */
const MAX_QUERY_LENGTH = 4096;

/** Turns LogSearch.query into a WHERE fragment, or a 400 problem that points at the fault. */
export function compileLogQuery(query: string | undefined): SqlFragment | null {
  if (query === undefined || query.trim() === '') return null;
  if (query.length > MAX_QUERY_LENGTH) {
    throw new ProblemError(400, 'Bad Request', `The query is longer than ${MAX_QUERY_LENGTH} characters`, [{ path: 'query', message: 'too long' }]);
  }
  try {
    return compileQuery(parseQuery(query));
  } catch (error) {
    if (error instanceof QuerySyntaxError || error instanceof QueryMeaningError) {
      throw new ProblemError(400, 'Bad Request', `Invalid log query ${error.message}`, [{ path: 'query', message: error.message }], {
        position: error.position,
      });
    }
    throw error;
  }
}

/** The filters shared by search and histogram: time range, run and query. */
export function applyLogFilters<T extends Knex.QueryBuilder>(builder: T, search: Pick<LogSearch, 'from' | 'to' | 'runId' | 'query'>): T {
  if (search.from !== undefined) builder.where('ts', '>=', toDate(search.from, 'from'));
  if (search.to !== undefined) builder.where('ts', '<=', toDate(search.to, 'to'));
  if (search.runId !== undefined) builder.where('run_id', search.runId);
  const fragment = compileLogQuery(search.query);
  if (fragment) builder.whereRaw(fragment.sql, fragment.bindings);
  return builder;
}

export function toDate(ms: number, name: string): Date {
  if (!Number.isFinite(ms)) throw new ProblemError(400, 'Bad Request', `${name} must be a time in epoch milliseconds`);
  return new Date(ms);
}
