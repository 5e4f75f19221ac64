import { LOG_LEVELS, type LogLevel } from '@oneservice/plugin-sdk';
import type { QueryNode, RangeNode, TermNode, PhraseNode, WildcardPart } from './ast.js';
import { QueryMeaningError } from './query-syntax-error.js';

/** A WHERE fragment with `?` placeholders; user text only ever travels in `bindings`. */
export interface SqlFragment {
  sql: string;
  bindings: SqlBinding[];
}
export type SqlBinding = string | number | Date | string[] | number[];

/** Log levels are stored as their rank so that `level:>=warn` is a plain integer comparison. */
export const levelRank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

/** Keyword columns: exact, case-sensitive values, as a keyword field in a search engine would be. */
const KEYWORD_COLUMNS: Record<string, string> = {
  service: 'service',
  host: 'host',
  run_id: 'run_id',
  runId: 'run_id',
  trace_id: 'trace_id',
  traceId: 'trace_id',
  span_id: 'span_id',
  spanId: 'span_id',
  stream: 'stream',
};
const KNOWN_FIELDS = ['message', 'level', 'ts', ...Object.keys(KEYWORD_COLUMNS), 'fields.<key>'];

type Field =
  | { kind: 'message' }
  | { kind: 'level' }
  | { kind: 'ts' }
  | { kind: 'keyword'; column: string }
  | { kind: 'json'; path: string[] };

export function compileQuery(node: QueryNode): SqlFragment {
  switch (node.kind) {
    case 'match_all':
      return { sql: 'TRUE', bindings: [] };
    case 'and':
    case 'or': {
      const parts = node.children.map(compileQuery);
      return { sql: `(${parts.map((p) => p.sql).join(node.kind === 'and' ? ' AND ' : ' OR ')})`, bindings: parts.flatMap((p) => p.bindings) };
    }
    case 'not': {
      // IS NOT TRUE, not NOT: a record without the field (NULL) matches `-service:x`, as in Lucene.
      const inner = compileQuery(node.child);
      return { sql: `((${inner.sql}) IS NOT TRUE)`, bindings: inner.bindings };
    }
    case 'term':
      return compileTerm(node, resolveField(node.field, node.position));
    case 'phrase':
      return compilePhrase(node, resolveField(node.field, node.position));
    case 'range':
      return compileRange(node, resolveField(node.field, node.position));
  }
}

function resolveField(name: string | null, position: number): Field {
  if (name === null || name === 'message') return { kind: 'message' };
  if (name === 'level') return { kind: 'level' };
  if (name === 'ts' || name === 'timestamp') return { kind: 'ts' };
  const column = KEYWORD_COLUMNS[name];
  if (column) return { kind: 'keyword', column };
  if (name.startsWith('fields.')) {
    const path = name.slice('fields.'.length).split('.');
    if (path.some((segment) => segment === '')) throw new QueryMeaningError(position, `'${name}' is not a valid field path`);
    return { kind: 'json', path };
  }
  throw new QueryMeaningError(position, `unknown field '${name}'; expected one of ${KNOWN_FIELDS.join(', ')} (quote or escape a ':' to search for it as text)`);
}

const JSON_TEXT = 'fields #>> ?::text[]';
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const WORD_ONLY = /^[\p{L}\p{N}]+$/u;

function compileTerm(node: TermNode, field: Field): SqlFragment {
  const pattern = node.pattern;
  const anything = pattern !== null && pattern.every((part) => 'wildcard' in part && part.wildcard === '*');
  switch (field.kind) {
    case 'message': {
      if (anything) return { sql: 'TRUE', bindings: [] };
      if (pattern === null) return messageContains(node.value);
      const [first, second] = pattern;
      // `word*` is a prefix query the full-text index answers; other shapes fall back to a regex.
      if (pattern.length === 2 && first && 'literal' in first && WORD_ONLY.test(first.literal) && second && 'wildcard' in second && second.wildcard === '*') {
        return { sql: "message_tsv @@ to_tsquery('simple', ?)", bindings: [`${first.literal.toLowerCase()}:*`] };
      }
      return { sql: 'message ~* ?', bindings: [wordRegex(pattern)] };
    }
    case 'level': {
      if (pattern === null) return { sql: 'level = ?', bindings: [levelRank(parseLevel(node.value, node.position))] };
      const matcher = new RegExp(`^${pattern.map((p) => ('literal' in p ? escapeRegExp(p.literal.toLowerCase()) : p.wildcard === '*' ? '.*' : '.')).join('')}$`);
      const ranks = LOG_LEVELS.filter((level) => matcher.test(level)).map(levelRank);
      return ranks.length === 0 ? { sql: 'FALSE', bindings: [] } : { sql: `level IN (${ranks.map(() => '?').join(', ')})`, bindings: ranks };
    }
    case 'ts':
      if (pattern !== null) throw new QueryMeaningError(node.position, 'wildcards do not apply to ts; use a range such as ts:[2024-01-01T00:00:00Z TO *]');
      return { sql: 'ts = ?', bindings: [parseTime(node.value, node.position)] };
    case 'keyword':
      if (anything) return { sql: `${field.column} IS NOT NULL`, bindings: [] };
      if (pattern !== null) return { sql: `${field.column} LIKE ?`, bindings: [likePattern(pattern)] };
      return { sql: `${field.column} = ?`, bindings: [node.value] };
    case 'json':
      if (anything) return { sql: 'fields #> ?::text[] IS NOT NULL', bindings: [field.path] };
      if (pattern !== null) return { sql: `${JSON_TEXT} LIKE ?`, bindings: [field.path, likePattern(pattern)] };
      return { sql: `${JSON_TEXT} = ?`, bindings: [field.path, node.value] };
  }
}

function compilePhrase(node: PhraseNode, field: Field): SqlFragment {
  switch (field.kind) {
    case 'message':
      if (!HAS_WORD_CHARACTER.test(node.value)) return { sql: 'message ILIKE ?', bindings: [`%${escapeLike(node.value)}%`] };
      return { sql: "message_tsv @@ phraseto_tsquery('simple', ?)", bindings: [node.value] };
    case 'level':
      return { sql: 'level = ?', bindings: [levelRank(parseLevel(node.value, node.position))] };
    case 'ts':
      return { sql: 'ts = ?', bindings: [parseTime(node.value, node.position)] };
    case 'keyword':
      return { sql: `${field.column} = ?`, bindings: [node.value] };
    case 'json':
      return { sql: `${JSON_TEXT} = ?`, bindings: [field.path, node.value] };
  }
}

function compileRange(node: RangeNode, field: Field): SqlFragment {
  const conditions: SqlFragment[] = [];
  const bound = (value: string | null, op: string) => (value === null ? null : { value, op });
  const bounds = [
    bound(node.lower, node.includeLower ? '>=' : '>'),
    bound(node.upper, node.includeUpper ? '<=' : '<'),
  ].filter((b): b is { value: string; op: string } => b !== null);
  if (bounds.length === 0) return compileTerm({ kind: 'term', field: node.field, value: '*', pattern: [{ wildcard: '*' }], position: node.position }, field);
  const numeric = bounds.every((b) => isNumber(b.value));
  for (const { value, op } of bounds) {
    switch (field.kind) {
      case 'message':
        throw new QueryMeaningError(node.position, 'ranges apply to fields (level, ts, service, fields.<key> …), not to the message text');
      case 'level':
        conditions.push({ sql: `level ${op} ?`, bindings: [levelRank(parseLevel(value, node.position))] });
        break;
      case 'ts':
        conditions.push({ sql: `ts ${op} ?`, bindings: [parseTime(value, node.position)] });
        break;
      case 'keyword':
        conditions.push({ sql: `${field.column} ${op} ?`, bindings: [value] });
        break;
      case 'json':
        // Numbers compare as numbers only against JSON numbers; the CASE keeps a string value from
        // failing the cast (it simply does not match).
        conditions.push(
          numeric
            ? { sql: `(CASE WHEN jsonb_typeof(fields #> ?::text[]) = 'number' THEN (${JSON_TEXT})::numeric END) ${op} ?::numeric`, bindings: [field.path, field.path, value] }
            : { sql: `${JSON_TEXT} ${op} ?`, bindings: [field.path, value] },
        );
        break;
    }
  }
  return { sql: `(${conditions.map((c) => c.sql).join(' AND ')})`, bindings: conditions.flatMap((c) => c.bindings) };
}

function messageContains(value: string): SqlFragment {
  // A term of punctuation only has no words for the full-text index; look for it as a substring.
  if (!HAS_WORD_CHARACTER.test(value)) return { sql: 'message ILIKE ?', bindings: [`%${escapeLike(value)}%`] };
  return { sql: "message_tsv @@ plainto_tsquery('simple', ?)", bindings: [value] };
}

function parseLevel(value: string, position: number): LogLevel {
  const level = value.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new QueryMeaningError(position, `unknown level '${value}'; expected one of ${LOG_LEVELS.join(', ')}`);
}

function parseTime(value: string, position: number): Date {
  const ms = isNumber(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new QueryMeaningError(position, `'${value}' is not a time; use ISO 8601 (2024-05-01T12:00:00Z) or epoch milliseconds`);
  return new Date(ms);
}

const isNumber = (value: string) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value);
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function likePattern(parts: WildcardPart[]): string {
  return parts.map((p) => ('literal' in p ? escapeLike(p.literal) : p.wildcard === '*' ? '%' : '_')).join('');
}

/** A PostgreSQL regex matching the wildcard term as a whole word, case-insensitively (used with ~*). */
function wordRegex(parts: WildcardPart[]): string {
  const body = parts
    .map((p) => ('literal' in p ? p.literal.replace(/[^\p{L}\p{N}]/gu, '\\$&') : p.wildcard === '*' ? '[[:alnum:]_]*' : '[[:alnum:]_]'))
    .join('');
  return `(^|[^[:alnum:]_])${body}($|[^[:alnum:]_])`;
}
