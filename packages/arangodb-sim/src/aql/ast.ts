/** The engine's syntax tree: what the parser produces and the planner, evaluator and explainer consume. */

/** A source position: 1-based line, 0-based column (ArangoDB prints column + 1), and the offset in the query. */
export interface Pos {
  offset: number;
  line: number;
  column: number;
}

/** A named value slot. User variables are numbered in declaration order, as ArangoDB does. */
export interface Variable {
  id: number;
  name: string;
  /** true for variables the user declared (not engine temporaries such as the expansion iterator). */
  user: boolean;
}

export type BinaryOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'not in'
  | 'like'
  | 'not like'
  | '=~'
  | '!~'
  | '&&'
  | '||'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export type Expr =
  | { kind: 'value'; value: unknown }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'object'; entries: ObjectEntry[] }
  | { kind: 'ref'; variable: Variable }
  | { kind: 'param'; name: string }
  | { kind: 'collection'; name: string }
  | { kind: 'attr'; object: Expr; name: string }
  | { kind: 'index'; object: Expr; index: Expr }
  | {
      kind: 'expand';
      source: Expr;
      iterator: Variable;
      filter?: Expr;
      /** `[* LIMIT offset, count]`, applied after FILTER. */
      limit?: { offset: Expr; count: Expr };
      map: Expr;
    }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'unary'; op: '-' | '+' | '!'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'ternary'; condition: Expr; whenTrue?: Expr; otherwise: Expr }
  | { kind: 'range'; from: Expr; to: Expr }
  | { kind: 'subquery'; body: Statement[] };

export type ObjectEntry = { key: string; value: Expr } | { key: Expr; value: Expr; computed: true };

/** Where a data-modification or traversal names its collection: a literal name or a `@@param`. */
export type CollectionName = { name: string } | { param: string };

export type Direction = 'outbound' | 'inbound' | 'any';

export interface SortElement {
  expr: Expr;
  ascending: boolean;
}

export interface Aggregate {
  variable: Variable;
  fn: string;
  arg: Expr;
}

export type Statement =
  | { kind: 'for'; pos: Pos; variable: Variable; source: Expr; options?: Expr }
  | {
      kind: 'traversal';
      pos: Pos;
      vertex: Variable;
      edge?: Variable;
      path?: Variable;
      minDepth: Expr;
      maxDepth: Expr;
      direction: Direction;
      start: Expr;
      edgeCollections: { collection: CollectionName; direction?: Direction }[];
      graph?: Expr;
      options?: Expr;
    }
  | { kind: 'let'; pos: Pos; variable: Variable; expr: Expr }
  | { kind: 'filter'; pos: Pos; expr: Expr }
  | { kind: 'sort'; pos: Pos; elements: SortElement[] }
  | { kind: 'limit'; pos: Pos; offset: Expr; count: Expr }
  | {
      kind: 'collect';
      pos: Pos;
      groups: { variable: Variable; expr: Expr }[];
      aggregates: Aggregate[];
      into?: { variable: Variable; expr?: Expr; keep?: Variable[] };
      countInto?: Variable;
      /** The user variables visible before COLLECT; INTO captures them. */
      visible: Variable[];
      options?: Expr;
    }
  | { kind: 'return'; pos: Pos; expr: Expr; distinct: boolean }
  | {
      kind: 'modify';
      pos: Pos;
      op: 'insert' | 'update' | 'replace' | 'remove';
      /** UPDATE/REPLACE key WITH doc; REMOVE key; for INSERT and the short UPDATE/REPLACE form: undefined. */
      key?: Expr;
      doc: Expr;
      collection: CollectionName;
      options?: Expr;
      oldVar: Variable;
      newVar: Variable;
    }
  | {
      kind: 'upsert';
      pos: Pos;
      search: Expr;
      insert: Expr;
      update: Expr;
      replace: boolean;
      collection: CollectionName;
      options?: Expr;
      oldVar: Variable;
      newVar: Variable;
    };

export interface Query {
  /** Collections named in the WITH prologue. */
  withCollections: string[];
  body: Statement[];
  /** Bind parameter names in order of first use; data-source parameters keep their leading `@`. */
  bindParams: string[];
  /** Collections referenced by name anywhere in the query, in order of first use. */
  collections: string[];
  variables: Variable[];
}
