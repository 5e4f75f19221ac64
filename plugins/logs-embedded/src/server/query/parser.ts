import type { QueryNode, RangeNode } from './ast.js';
import { QuerySyntaxError } from './query-syntax-error.js';
import { tokenize, type Token } from './tokenizer.js';

/**
 * Parses the Lucene-style subset of LogSearch.query into an AST (recursive descent).
 *
 *   query   := or EOF                        (an empty query matches everything)
 *   or      := and (("OR" | "||") and)*
 *   and     := unary (("AND" | "&&")? unary)*    (juxtaposition is AND)
 *   unary   := ("NOT" | "!") unary | "-" primary | "+" primary | primary
 *   primary := "(" or ")" | FIELD ":" value | WORD | PHRASE
 *   value   := "(" or ")" | WORD | PHRASE | range | (">" | ">=" | "<" | "<=") bound
 *   range   := ("[" | "{") bound "TO" bound ("]" | "}")
 *
 * Precedence is the usual boolean one (NOT, then AND, then OR), not Lucene's SHOULD/MUST scoring
 * rules, because a log filter is read as a boolean expression.
 */
export function parseQuery(input: string): QueryNode {
  return new Parser(tokenize(input)).parse();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    if (this.peek().type === 'eof') return { kind: 'match_all' };
    const node = this.parseOr(null);
    const next = this.peek();
    if (next.type !== 'eof') {
      throw new QuerySyntaxError(next.position, next.type === 'rparen' ? "a term or operator (this ')' closes nothing)" : 'AND, OR or a term', describe(next));
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private parseOr(field: string | null): QueryNode {
    const children = [this.parseAnd(field)];
    while (this.peek().type === 'or') {
      this.next();
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'or', children };
  }

  private parseAnd(field: string | null): QueryNode {
    const children = [this.parseUnary(field)];
    for (;;) {
      const token = this.peek();
      if (token.type === 'and') {
        this.next();
        children.push(this.parseUnary(field));
      } else if (startsClause(token)) {
        children.push(this.parseUnary(field));
      } else {
        break;
      }
    }
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'and', children };
  }

  private parseUnary(field: string | null): QueryNode {
    const token = this.peek();
    if (token.type === 'not') {
      this.next();
      return { kind: 'not', child: this.parseUnary(field) };
    }
    if (token.type === 'minus') {
      this.next();
      return { kind: 'not', child: this.parsePrimary(field) };
    }
    if (token.type === 'plus') this.next();
    return this.parsePrimary(field);
  }

  private parsePrimary(field: string | null): QueryNode {
    const token = this.next();
    switch (token.type) {
      case 'lparen':
        return this.parseGroup(field, token.position);
      case 'field':
        if (field !== null) {
          throw new QuerySyntaxError(token.position, `a value for field '${field}' (fields cannot nest)`, `field '${token.name}:'`);
        }
        return this.parseFieldValue(token.name, token.position);
      case 'word':
        if (token.text === '*' && token.pattern) return field === null ? { kind: 'match_all' } : { kind: 'term', field, value: '*', pattern: token.pattern, position: token.position };
        return { kind: 'term', field, value: token.text, pattern: token.pattern, position: token.position };
      case 'phrase':
        return { kind: 'phrase', field, value: token.text, position: token.position };
      case 'range_open':
      case 'compare':
        if (field !== null) return this.parseRangeOrCompare(field, token);
        throw new QuerySyntaxError(token.position, 'a field name before a range (e.g. fields.loss:[0 TO 1])', describe(token));
      default:
        throw new QuerySyntaxError(token.position, 'a term, a "phrase", field:value or (', describe(token));
    }
  }

  private parseGroup(field: string | null, openedAt: number): QueryNode {
    const inner = this.parseOr(field);
    const close = this.next();
    if (close.type !== 'rparen') throw new QuerySyntaxError(close.position, `')' to close the group opened at position ${openedAt}`, describe(close));
    return inner;
  }

  private parseFieldValue(field: string, position: number): QueryNode {
    const token = this.next();
    switch (token.type) {
      case 'lparen':
        return this.parseGroup(field, token.position);
      // A clause's position is where its field name starts, so an unknown field is pointed at.
      case 'word':
        return { kind: 'term', field, value: token.text, pattern: token.pattern, position };
      case 'phrase':
        return { kind: 'phrase', field, value: token.text, position };
      case 'range_open':
      case 'compare':
        return { ...this.parseRangeOrCompare(field, token), position };
      default:
        throw new QuerySyntaxError(token.position, `a value, range or comparison for field '${field}' (opened at position ${position})`, describe(token));
    }
  }

  private parseRangeOrCompare(field: string, token: Token): RangeNode {
    if (token.type === 'compare') {
      const bound = this.parseBound(`a value after '${token.op}'`);
      if (bound === null) throw new QuerySyntaxError(token.position + token.op.length, `a value after '${token.op}'`, "'*'");
      const lower = token.op.startsWith('>');
      return {
        kind: 'range', field, position: token.position,
        lower: lower ? bound : null, upper: lower ? null : bound,
        includeLower: token.op === '>=', includeUpper: token.op === '<=',
      };
    }
    if (token.type !== 'range_open') throw new QuerySyntaxError(token.position, "'[' or '{'", describe(token));
    const lower = this.parseBound('the lower bound of the range');
    const to = this.next();
    if (to.type !== 'to') throw new QuerySyntaxError(to.position, "'TO' between the range bounds", describe(to));
    const upper = this.parseBound('the upper bound of the range');
    const close = this.next();
    if (close.type !== 'range_close') throw new QuerySyntaxError(close.position, `']' or '}' to close the range opened at position ${token.position}`, describe(close));
    return { kind: 'range', field, position: token.position, lower, upper, includeLower: token.inclusive, includeUpper: close.inclusive };
  }

  /** A range bound: a word or phrase; an unescaped `*` means unbounded (null). */
  private parseBound(what: string): string | null {
    const token = this.next();
    if (token.type === 'word') return token.text === '*' && token.pattern ? null : token.text;
    if (token.type === 'phrase') return token.text;
    throw new QuerySyntaxError(token.position, what, describe(token));
  }
}

function startsClause(token: Token): boolean {
  return ['word', 'phrase', 'field', 'lparen', 'not', 'minus', 'plus'].includes(token.type);
}

function describe(token: Token): string {
  switch (token.type) {
    case 'eof': return 'the end of the query';
    case 'word': return `'${token.text}'`;
    case 'field': return `'${token.name}:'`;
    case 'phrase': return `the phrase "${token.text}"`;
    case 'and': return "'AND'";
    case 'or': return "'OR'";
    case 'not': return "'NOT'";
    case 'to': return "'TO'";
    case 'minus': return "'-'";
    case 'plus': return "'+'";
    case 'lparen': return "'('";
    case 'rparen': return "')'";
    case 'range_open': return token.inclusive ? "'['" : "'{'";
    case 'range_close': return token.inclusive ? "']'" : "'}'";
    case 'compare': return `'${token.op}'`;
  }
}
