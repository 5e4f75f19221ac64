/**
 * A query the parser cannot read. `position` is the 0-based character offset where reading stopped,
 * so a caller can point at it; the message already says what was expected there.
 */
export class QuerySyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`at position ${position}: expected ${expected} but found ${found}`);
    this.name = 'QuerySyntaxError';
  }
}

/** A query that parses but names something the store does not know (a field, a level, a date). */
export class QueryMeaningError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(`at position ${position}: ${message}`);
    this.name = 'QueryMeaningError';
  }
}
