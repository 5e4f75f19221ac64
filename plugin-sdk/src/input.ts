import { z } from 'zod';

/*
 * Building blocks for route schemas, so that input PostgreSQL would refuse is refused at the edge with a 400
 * naming the field, instead of failing in the database as a 500. Each bound is the column's own: a uuid
 * column takes only uuids, int4 stops at 2^31 − 1, timestamps stop where a Date and timestamptz both end.
 * Text needs no block: the kernel refuses NUL and unpaired surrogates in every string of every request
 * (findUnstorableText), since neither text nor jsonb can hold them.
 */

export const UNSTORABLE_TEXT = 'must not contain NUL (\\u0000) or an unpaired UTF-16 surrogate: PostgreSQL cannot store them';

/** Whether PostgreSQL's text and jsonb can hold this string (UTF-8 cannot encode a lone surrogate; text ends at NUL). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}
// With the u flag a surrogate pair is one code point, so \p{Cs} matches only a surrogate standing alone.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/**
 * The path of the first string, value or object key, that PostgreSQL could not store; null when there is none.
 * The kernel runs this over every parsed body, query and path, so a route gets the check without asking for it.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findUnstorableText(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null && isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key];
      const found = findUnstorableText(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

// Query objects have a null prototype; Dates, Buffers and class instances are not walked.
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const ids = {
  /** A uuid column's id: anything else could never match a row, and PostgreSQL would reject it with an error. */
  uuid: () => z.uuid(),
  /** `{ id }` path parameters of a uuid-keyed resource. */
  params: () => z.object({ id: z.uuid() }),
};

export const INT4_MIN = -(2 ** 31);
export const INT4_MAX = 2 ** 31 - 1;

/** An integer an int4 column (or an int parameter) holds. */
export const int4 = () => z.number().int().min(INT4_MIN).max(INT4_MAX);

/**
 * Milliseconds since the epoch that both a JavaScript Date and PostgreSQL's timestamptz can hold: from
 * 0001-01-01 to 9999-12-31 (ISO 8601's four-digit years; PostgreSQL goes further, Date.toISOString does not).
 */
export const EPOCH_MILLIS_MIN = -62_135_596_800_000; // 0001-01-01T00:00:00Z (Date.UTC would read year 1 as 1901)
export const EPOCH_MILLIS_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const epochMillis = () => z.number().finite().min(EPOCH_MILLIS_MIN).max(EPOCH_MILLIS_MAX);
/** The same, from a query string. */
export const queryEpochMillis = () => z.coerce.number().finite().min(EPOCH_MILLIS_MIN).max(EPOCH_MILLIS_MAX);
