/** The parsed form of a log query; compiled to SQL by compile-sql.ts, never executed as text. */
export type QueryNode = MatchAllNode | AndNode | OrNode | NotNode | TermNode | PhraseNode | RangeNode;

export interface MatchAllNode {
  kind: 'match_all';
}

export interface AndNode {
  kind: 'and';
  children: QueryNode[];
}

export interface OrNode {
  kind: 'or';
  children: QueryNode[];
}

export interface NotNode {
  kind: 'not';
  child: QueryNode;
}

/** A piece of a wildcard term: literal text, or an unescaped `*` (any run) / `?` (one character). */
export type WildcardPart = { literal: string } | { wildcard: '*' | '?' };

export interface TermNode {
  kind: 'term';
  /** null: the default field (the message). */
  field: string | null;
  /** The unescaped text, wildcard characters included as written. */
  value: string;
  /** Set when the term has an unescaped `*` or `?`: the term split into literal and wildcard parts. */
  pattern: WildcardPart[] | null;
  position: number;
}

export interface PhraseNode {
  kind: 'phrase';
  field: string | null;
  value: string;
  position: number;
}

export interface RangeNode {
  kind: 'range';
  field: string | null;
  /** null: unbounded (`*`). */
  lower: string | null;
  upper: string | null;
  includeLower: boolean;
  includeUpper: boolean;
  position: number;
}
