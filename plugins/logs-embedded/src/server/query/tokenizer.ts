import type { WildcardPart } from './ast.js';
import { QuerySyntaxError } from './query-syntax-error.js';

export type Token =
  | { type: 'word'; text: string; pattern: WildcardPart[] | null; position: number }
  | { type: 'field'; name: string; position: number }
  | { type: 'phrase'; text: string; position: number }
  | { type: 'and' | 'or' | 'not' | 'to' | 'minus' | 'plus' | 'lparen' | 'rparen' | 'eof'; position: number }
  | { type: 'range_open'; inclusive: boolean; position: number }
  | { type: 'range_close'; inclusive: boolean; position: number }
  | { type: 'compare'; op: '>' | '>=' | '<' | '<='; position: number };

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const KEYWORDS: Record<string, 'and' | 'or' | 'not' | 'to'> = { AND: 'and', OR: 'or', NOT: 'not', TO: 'to' };
const isSpace = (c: string) => /\s/.test(c);
/** Characters that end a word wherever they appear unescaped. */
const WORD_END = new Set(['(', ')', '"', '[', ']', '{', '}']);

/**
 * Splits a query into tokens. The tokenizer is context-aware in one way: right after `field:` or a
 * comparison, and inside a range, a word is a value, so colons in it (times, host:port) are literal
 * and a leading `-` is a minus sign rather than NOT.
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let rangeDepth = 0;
  const valueNext = () => {
    const last = tokens[tokens.length - 1];
    return rangeDepth > 0 || last?.type === 'field' || last?.type === 'compare';
  };

  while (i < input.length) {
    const c = input[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(') { tokens.push({ type: 'lparen', position: i++ }); continue; }
    if (c === ')') { tokens.push({ type: 'rparen', position: i++ }); continue; }
    if (c === '[' || c === '{') { rangeDepth++; tokens.push({ type: 'range_open', inclusive: c === '[', position: i++ }); continue; }
    if (c === ']' || c === '}') { rangeDepth = Math.max(0, rangeDepth - 1); tokens.push({ type: 'range_close', inclusive: c === ']', position: i++ }); continue; }
    if (c === '"') {
      const { text, end } = readPhrase(input, i);
      tokens.push({ type: 'phrase', text, position: start });
      i = end;
      continue;
    }
    if (tokens[tokens.length - 1]?.type === 'field' && (c === '>' || c === '<')) {
      const op = input[i + 1] === '=' ? (`${c}=` as '>=' | '<=') : (c as '>' | '<');
      tokens.push({ type: 'compare', op, position: i });
      i += op.length;
      continue;
    }
    if (!valueNext()) {
      if (input.startsWith('&&', i)) { tokens.push({ type: 'and', position: i }); i += 2; continue; }
      if (input.startsWith('||', i)) { tokens.push({ type: 'or', position: i }); i += 2; continue; }
      const next = input[i + 1];
      const prefixes = next !== undefined && !isSpace(next);
      if (c === '!' && prefixes) { tokens.push({ type: 'not', position: i++ }); continue; }
      if (c === '-' && prefixes) { tokens.push({ type: 'minus', position: i++ }); continue; }
      if (c === '+' && prefixes) { tokens.push({ type: 'plus', position: i++ }); continue; }
    }
    const word = readWord(input, i, !valueNext());
    i = word.end;
    if (word.field !== null) {
      tokens.push({ type: 'field', name: word.field, position: start });
      continue;
    }
    const keyword = word.escaped ? undefined : KEYWORDS[word.text];
    if (keyword && (keyword !== 'to' || rangeDepth > 0)) {
      tokens.push({ type: keyword, position: start });
      continue;
    }
    tokens.push({ type: 'word', text: word.text, pattern: word.hasWildcard ? word.parts : null, position: start });
  }
  tokens.push({ type: 'eof', position: input.length });
  return tokens;
}

function readPhrase(input: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === '\\' && i + 1 < input.length) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { text, end: i + 1 };
    text += c;
    i++;
  }
  throw new QuerySyntaxError(input.length, `a closing '"' for the phrase opened at position ${start}`, 'the end of the query');
}

interface Word {
  text: string;
  parts: WildcardPart[];
  hasWildcard: boolean;
  escaped: boolean;
  /** Set when the word was `name:` — a field prefix rather than a value. */
  field: string | null;
  end: number;
}

function readWord(input: string, start: number, fieldAllowed: boolean): Word {
  let text = '';
  let literal = '';
  const parts: WildcardPart[] = [];
  let hasWildcard = false;
  let escaped = false;
  let i = start;
  while (i < input.length) {
    const c = input[i] as string;
    if (isSpace(c) || WORD_END.has(c)) break;
    if (c === '\\') {
      if (i + 1 >= input.length) throw new QuerySyntaxError(i + 1, 'a character after the escape "\\"', 'the end of the query');
      const escapedChar = input[i + 1] as string;
      text += escapedChar;
      literal += escapedChar;
      escaped = true;
      i += 2;
      continue;
    }
    if (c === ':' && fieldAllowed && !escaped && FIELD_NAME.test(text)) {
      return { text, parts, hasWildcard, escaped, field: text, end: i + 1 };
    }
    if (c === '*' || c === '?') {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ wildcard: c });
      hasWildcard = true;
    } else {
      literal += c;
    }
    text += c;
    i++;
  }
  if (literal) parts.push({ literal });
  if (text === '') throw new QuerySyntaxError(start, 'a term', describeChar(input, start));
  return { text, parts, hasWildcard, escaped, field: null, end: i };
}

export function describeChar(input: string, position: number): string {
  return position >= input.length ? 'the end of the query' : `'${input[position]}'`;
}
