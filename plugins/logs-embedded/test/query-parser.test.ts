import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { compileQuery, parseQuery, QueryMeaningError, QuerySyntaxError, type QueryNode } from '../src/server/query/index.js';

/** The cases of bench/compare-query-parsers.mjs (the table in ADR 0012), held true for our parser. */
const LANGUAGE_CASES = JSON.parse(readFileSync(new URL('./query-language-cases.json', import.meta.url), 'utf8')) as Array<[string, string, string]>;

/** A node in the table's notation; nested AND/OR of one kind are flattened as the libraries' would be. */
function meaning(node: QueryNode): string {
  const list = (kind: string, children: QueryNode[]): string =>
    `(${kind} ${children.flatMap((c) => (c.kind === node.kind && (c.kind === 'and' || c.kind === 'or') ? c.children : [c])).map(meaning).join(' ')})`;
  const bound = (value: string | null) => value ?? '*';
  switch (node.kind) {
    case 'match_all': return '*';
    case 'and': return list('AND', node.children);
    case 'or': return list('OR', node.children);
    case 'not': return `(NOT ${meaning(node.child)})`;
    case 'term': return `${node.field ?? '_'}:${node.pattern ? node.value : node.value.replace(/[*?]/g, '\\$&')}`;
    case 'phrase': return `${node.field ?? '_'}:"${node.value}"`;
    case 'range':
      return `${node.field ?? '_'}:${node.lower === null || node.includeLower ? '[' : '{'}${bound(node.lower)} TO ${bound(node.upper)}${node.upper === null || node.includeUpper ? ']' : '}'}`;
  }
}

describe('log query parser', () => {
  it.each(LANGUAGE_CASES)('%s: %s reads as %s', (_category, query, expected) => {
    if (expected.startsWith('error@')) {
      const refusal = (() => {
        try {
          return parseQuery(query);
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(QuerySyntaxError);
      expect((refusal as QuerySyntaxError).position).toBe(Number(expected.slice('error@'.length)));
    } else {
      expect(meaning(parseQuery(query))).toBe(expected);
    }
  });

  it('reads juxtaposition as AND with the usual precedence (NOT > AND > OR)', () => {
    expect(parseQuery('a b OR c')).toEqual({
      kind: 'or',
      children: [
        { kind: 'and', children: [term('a', 0), term('b', 2)] },
        term('c', 7),
      ],
    });
    expect(parseQuery('NOT a AND -b')).toEqual({ kind: 'and', children: [{ kind: 'not', child: term('a', 4) }, { kind: 'not', child: term('b', 11) }] });
  });

  it('reads fields, phrases, groups, ranges and comparisons', () => {
    expect(parseQuery('level:(error OR warn)')).toEqual({
      kind: 'or',
      children: [
        { kind: 'term', field: 'level', value: 'error', pattern: null, position: 7 },
        { kind: 'term', field: 'level', value: 'warn', pattern: null, position: 16 },
      ],
    });
    expect(parseQuery('message:"disk full"')).toEqual({ kind: 'phrase', field: 'message', value: 'disk full', position: 0 });
    expect(parseQuery('fields.loss:{0 TO *]')).toEqual({ kind: 'range', field: 'fields.loss', lower: '0', upper: null, includeLower: false, includeUpper: true, position: 0 });
    expect(parseQuery('fields.delta:<=-1.5')).toEqual({ kind: 'range', field: 'fields.delta', lower: null, upper: '-1.5', includeLower: false, includeUpper: true, position: 0 });
  });

  it('keeps colons inside values and ranges, and honours escapes', () => {
    expect(parseQuery('ts:>=2024-05-01T10:00:00Z')).toMatchObject({ kind: 'range', field: 'ts', lower: '2024-05-01T10:00:00Z' });
    expect(parseQuery('host:db-1:5432')).toMatchObject({ kind: 'term', field: 'host', value: 'db-1:5432' });
    expect(parseQuery('http\\://x')).toMatchObject({ kind: 'term', field: null, value: 'http://x', pattern: null });
    expect(parseQuery('a\\*b')).toMatchObject({ kind: 'term', value: 'a*b', pattern: null });
    expect(parseQuery('te?t*')).toMatchObject({ kind: 'term', pattern: [{ literal: 'te' }, { wildcard: '?' }, { literal: 't' }, { wildcard: '*' }] });
  });

  it('treats an empty query and a lone * as match-all', () => {
    expect(parseQuery('   ')).toEqual({ kind: 'match_all' });
    expect(parseQuery('*')).toEqual({ kind: 'match_all' });
  });

  it.each([
    ['(a OR b', 7, "')' to close the group opened at position 0", 'the end of the query'],
    ['a)', 1, "a term or operator (this ')' closes nothing)", "')'"],
    ['level:', 6, "a value, range or comparison for field 'level' (opened at position 0)", 'the end of the query'],
    ['x:[1 5]', 5, "'TO' between the range bounds", "'5'"],
    ['a OR', 4, 'a term, a "phrase", field:value or (', 'the end of the query'],
    ['"open', 5, `a closing '"' for the phrase opened at position 0`, 'the end of the query'],
    ['[1 TO 2]', 0, 'a field name before a range (e.g. fields.loss:[0 TO 1])', "'['"],
  ])('reports %s at position %i', (query, position, expected, found) => {
    let error: unknown;
    try {
      parseQuery(query);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error).toMatchObject({ position, expected, found });
    expect((error as Error).message).toBe(`at position ${position}: expected ${expected} but found ${found}`);
  });

  it('rejects unknown fields, levels and times by meaning, with their position', () => {
    expect(() => compileQuery(parseQuery('a AND colour:red'))).toThrow(QueryMeaningError);
    expect(() => compileQuery(parseQuery('a AND colour:red'))).toThrow(/at position 6: unknown field 'colour'/);
    expect(() => compileQuery(parseQuery('level:loud'))).toThrow(/unknown level 'loud'/);
    expect(() => compileQuery(parseQuery('ts:>yesterday'))).toThrow(/'yesterday' is not a time/);
    expect(() => compileQuery(parseQuery('message:[a TO b]'))).toThrow(/ranges apply to fields/);
  });

  it('never puts user text into SQL: it travels only in bindings', () => {
    const hostile = `x'; DROP TABLE log_records; --`;
    for (const query of [`"${hostile}"`, `service:"${hostile}"`, `fields.a:"${hostile}"`, `fields.a:["${hostile}" TO *]`, `service:"${hostile}"*`]) {
      const fragment = compileQuery(parseQuery(query));
      expect(fragment.sql).not.toContain('DROP');
      expect(fragment.sql.split('?').length - 1).toBe(fragment.bindings.length);
    }
  });
});

function term(value: string, position: number) {
  return { kind: 'term', field: null, value, pattern: null, position };
}
