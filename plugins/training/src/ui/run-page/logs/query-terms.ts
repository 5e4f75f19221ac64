// The words of a Lucene-style log query that a reader expects to see marked in the lines: free
// terms and phrases (and message:… ones), not field filters, operators, ranges or excluded words.
// The server's parser decides what matches; this only picks what to highlight, so a query the server
// refuses still highlights nothing wrong.

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'TO', '&&', '||']);

export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  let i = 0;
  let negateNext = false;
  let rangeDepth = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c) || c === '(' || c === ')') {
      i += 1;
      continue;
    }
    if (c === '[' || c === '{') {
      rangeDepth += 1;
      i += 1;
      continue;
    }
    if (c === ']' || c === '}') {
      rangeDepth = Math.max(0, rangeDepth - 1);
      i += 1;
      continue;
    }
    let negated = negateNext;
    negateNext = false;
    if (c === '-' || c === '!') {
      negated = true;
      i += 1;
    } else if (c === '+') {
      i += 1;
    }
    // An optional field name, then a phrase or a word.
    let field: string | null = null;
    const fieldMatch = /^([A-Za-z_][\w.]*):/.exec(query.slice(i));
    if (fieldMatch) {
      field = fieldMatch[1]!;
      i += fieldMatch[0].length;
    }
    let text: string;
    if (query[i] === '"') {
      let j = i + 1;
      let out = '';
      while (j < query.length && query[j] !== '"') {
        if (query[j] === '\\' && j + 1 < query.length) j += 1;
        out += query[j];
        j += 1;
      }
      text = out;
      i = j + 1;
    } else {
      let j = i;
      let out = '';
      while (j < query.length && !/[\s()[\]{}]/.test(query[j]!)) {
        if (query[j] === '\\' && j + 1 < query.length) j += 1;
        out += query[j];
        j += 1;
      }
      text = out;
      i = j;
      if (field === null && OPERATORS.has(text)) {
        if (text === 'NOT') negateNext = true;
        continue;
      }
    }
    if (negated || rangeDepth > 0 || (field !== null && field !== 'message')) continue;
    // A wildcard word highlights what is before its first wildcard (err* marks "err").
    const plain = text.split(/[*?]/)[0] ?? '';
    if (plain.length > 0 && !/^[<>]=?/.test(plain)) terms.push(plain);
  }
  return [...new Set(terms)];
}

/** The problem's `position` (a character offset in the query) and its message, when the server refused the query. */
export interface QueryFault {
  position: number | null;
  message: string;
}
