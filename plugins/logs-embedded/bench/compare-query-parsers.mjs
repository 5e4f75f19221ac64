// Our log query parser against the npm packages `lucene` and `liqe`, on the same cases, each
// library's AST read in the most generous way (its own unescape, comparisons taken out of terms,
// field groups pushed down). Prints the markdown table kept in docs/adr/0012-logs-follow-and-query-parser.md.
//   npm run build && npm install --no-save lucene@2.1.1 liqe@3.8.7 && node plugins/logs-embedded/bench/compare-query-parsers.mjs
import { readFileSync } from 'node:fs';
import { parseQuery } from '../dist/server/query/index.js';

const load = async (name) => {
  try {
    return await import(name);
  } catch {
    console.error(`${name} is not installed: npm install --no-save lucene@2.1.1 liqe@3.8.7`);
    process.exit(2);
  }
};
const lucene = (await load('lucene')).default;
const liqe = await load('liqe');

// test/query-language-cases.json: [category, query, expected meaning], also run against our parser
// by test/query-parser.test.ts. Meaning: `(AND …)`, `(OR …)`, `(NOT …)`, `field:value` (`_` is the
// message), `field:"phrase"`, wildcards as written and escaped ones as `\*`, ranges as `[lo TO hi}`
// with `*` for an open end, `*` alone for everything; `error@N` for a refusal at offset N.
const CASES = JSON.parse(readFileSync(new URL('../test/query-language-cases.json', import.meta.url), 'utf8'));

const flatten = (kind, children) => children.flatMap((c) => (c.startsWith(`(${kind} `) && balancedOnce(c) ? splitList(c) : [c]));
const list = (kind, children) => `(${kind} ${flatten(kind, children).join(' ')})`;
const balancedOnce = (text) => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return true;
};
function splitList(text) {
  const body = text.slice(text.indexOf(' ') + 1, -1);
  const items = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '(') depth++;
    if (body[i] === ')') depth--;
    if (body[i] === ' ' && depth === 0 && !insideQuotes(body, start, i)) {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items;
}
const insideQuotes = (text, from, to) => (text.slice(from, to).match(/"/g) ?? []).length % 2 === 1;
const range = (field, lo, hi, incLo, incHi) => `${field}:${lo === null || incLo ? '[' : '{'}${lo ?? '*'} TO ${hi ?? '*'}${hi === null || incHi ? ']' : '}'}`;
const comparison = (field, op, value) => (op.startsWith('>') ? range(field, value, null, op === '>=', true) : range(field, null, value, true, op === '<='));

// ---- ours ------------------------------------------------------------------------------------
function ours(query) {
  const show = (node) => {
    switch (node.kind) {
      case 'match_all': return '*';
      case 'and': return list('AND', node.children.map(show));
      case 'or': return list('OR', node.children.map(show));
      case 'not': return `(NOT ${show(node.child)})`;
      case 'term': return `${node.field ?? '_'}:${node.pattern ? node.value : node.value.replace(/[*?]/g, '\\$&')}`;
      case 'phrase': return `${node.field ?? '_'}:"${node.value}"`;
      case 'range': return range(node.field ?? '_', node.lower, node.upper, node.includeLower, node.includeUpper);
    }
  };
  try {
    return show(parseQuery(query));
  } catch (error) {
    return { error: error.message, position: error.position };
  }
}

// ---- lucene (PEG.js grammar) ------------------------------------------------------------------
function luceneMeaning(query) {
  // Its term keeps backslashes: unescape all but wildcard characters, which must stay told apart.
  const term = (raw) => raw.replace(/\\(.)/g, (_, c) => (c === '*' || c === '?' ? `\\${c}` : c));
  const show = (node, groupField) => {
    if (!node || Object.keys(node).length === 0) return 'EMPTY';
    if ('term_min' in node) {
      const field = node.field === '<implicit>' ? (groupField ?? '_') : node.field;
      const lo = node.term_min === '*' ? null : node.term_min;
      const hi = node.term_max === '*' ? null : node.term_max;
      return range(field, lo, hi, ['both', 'left'].includes(node.inclusive), ['both', 'right'].includes(node.inclusive));
    }
    if ('term' in node) {
      const field = node.field === '<implicit>' ? (groupField ?? '_') : node.field;
      const compare = !node.quoted && /^(>=|<=|>|<)(.+)$/.exec(node.term);
      let text;
      if (compare) text = comparison(field, compare[1], compare[2]);
      else if (node.term === '*' && field === '_') text = '*';
      else text = `${field}:${node.quoted ? `"${lucene.phrase.unescape(node.term)}"` : term(node.term)}`;
      return node.prefix === '-' || node.prefix === '!' ? `(NOT ${text})` : text;
    }
    if ('operator' in node && !('left' in node)) return `OPERATOR ${node.operator}`;
    const field = node.field && node.field !== '<implicit>' ? node.field : groupField;
    let left = show(node.left, field);
    if (node.start === 'NOT') left = `(NOT ${left})`;
    if (!node.right) return left;
    const right = show(node.right, field);
    switch (node.operator) {
      case 'OR': case '||': return list('OR', [left, right]);
      case 'AND NOT': case 'NOT': return list('AND', [left, `(NOT ${right})`]);
      case 'OR NOT': return list('OR', [left, `(NOT ${right})`]);
      default: return list('AND', [left, right]);
    }
  };
  try {
    return show(lucene.parse(query), null);
  } catch (error) {
    return { error: error.message, position: error.location?.start?.offset };
  }
}

// ---- liqe (nearley grammar) -------------------------------------------------------------------
function liqeMeaning(query) {
  const show = (node) => {
    switch (node.type) {
      case 'EmptyExpression': return 'EMPTY';
      case 'ParenthesizedExpression': return show(node.expression);
      case 'LogicalExpression': return list(node.operator.operator, [show(node.left), show(node.right)]);
      case 'UnaryOperator': return `(NOT ${show(node.operand)})`;
      case 'Tag': {
        const field = node.field.type === 'ImplicitField' ? '_' : node.field.name;
        const e = node.expression;
        if (e.type === 'EmptyExpression') return `${field}:EMPTY`;
        if (e.type === 'RangeExpression') return range(field, e.range.min, e.range.max, e.range.minInclusive, e.range.maxInclusive);
        if (e.type === 'RegexExpression') return `${field}:/${e.value}/`;
        const op = node.operator?.operator ?? ':';
        if (op !== ':' && op !== ':=') return comparison(field, op.slice(1), String(e.value));
        if (field === '_' && e.value === '*' && !e.quoted) return '*';
        return `${field}:${e.quoted ? `"${e.value}"` : String(e.value)}`;
      }
    }
    return `UNKNOWN ${node.type}`;
  };
  try {
    return show(liqe.parse(query));
  } catch (error) {
    return { error: error.message, position: error.offset };
  }
}

const parsers = [['ours', ours], ['lucene 2.1.1', luceneMeaning], ['liqe 3.8.7', liqeMeaning]];
const cell = (result, expected) => {
  const wantError = expected.startsWith('error@');
  if (typeof result === 'string') return result === expected ? '✓' : `✗ \`${result}\``;
  if (!wantError) return `✗ refused${result.position === undefined ? ', no position' : ` @${result.position}`}`;
  if (result.position === undefined) return '✗ refused, no position';
  return Number(expected.slice(6)) === result.position ? `✓ @${result.position}` : `~ @${result.position}`;
};
const score = new Map(parsers.map(([name]) => [name, 0]));
console.log(`| # | case | query | expected | ${parsers.map(([name]) => name).join(' | ')} |`);
console.log(`|---|---|---|---|${parsers.map(() => '---').join('|')}|`);
CASES.forEach(([category, query, expected], i) => {
  const cells = parsers.map(([name, parse]) => {
    const text = cell(parse(query), expected);
    if (text.startsWith('✓')) score.set(name, score.get(name) + 1);
    return text.replaceAll('|', '\\|');
  });
  console.log(`| ${i + 1} | ${category} | \`${query.replaceAll('|', '\\|')}\` | \`${expected.replaceAll('|', '\\|')}\` | ${cells.join(' | ')} |`);
});
console.log(`\nright meaning (or refusal at the right position), of ${CASES.length}: ${[...score].map(([name, n]) => `${name} ${n}`).join(', ')}`);
// What a user reads for one fault, from each.
const sample = '(checkpoint OR memory AND service:trainer';
console.log(`\nmessages for \`${sample}\`:`);
for (const [name, parse] of parsers) {
  const result = parse(sample);
  console.log(`- ${name}: ${typeof result === 'string' ? `accepted as ${result}` : `${result.error} (position ${result.position ?? 'none'})`}`);
}
