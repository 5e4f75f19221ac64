export type { QueryNode, WildcardPart } from './ast.js';
export { parseQuery } from './parser.js';
export { compileQuery, levelRank, type SqlFragment, type SqlBinding } from './compile-sql.js';
export { QuerySyntaxError, QueryMeaningError } from './query-syntax-error.js';
