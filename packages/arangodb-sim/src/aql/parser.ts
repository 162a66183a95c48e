/** Recursive-descent (Pratt for expressions) parser for the AQL subset the simulator supports. */
import type {
  Aggregate,
  BinaryOp,
  CollectionName,
  Direction,
  Expr,
  ObjectEntry,
  Query,
  SortElement,
  Statement,
  Variable,
} from './ast.js';
import {
  argCountMismatch,
  ERR,
  invalidAggregate,
  syntaxError,
  unknownFunction,
  unsupported,
} from './errors.js';
import { AGGREGATE_FUNCTIONS, functionArity } from './functions/index.js';
import { SimError } from './host.js';
import { describeToken, numberValue, type Token, tokenize } from './lexer.js';

/** Binding powers, lowest first, following the precedence table of ArangoDB's grammar.y. */
const BP = { ternary: 1, or: 2, and: 3, equality: 4, in: 5, relational: 6, range: 7, additive: 8, mult: 9 };
const UNARY_BP = 10;

const STATEMENT_KEYWORDS = new Set([
  'FOR',
  'LET',
  'RETURN',
  'INSERT',
  'UPDATE',
  'REPLACE',
  'REMOVE',
  'UPSERT',
  'COLLECT',
]);
const DIRECTIONS = new Set(['OUTBOUND', 'INBOUND', 'ANY']);
const PATH_SEARCHES = new Set(['SHORTEST_PATH', 'K_SHORTEST_PATHS', 'K_PATHS', 'ALL_SHORTEST_PATHS']);

export function parse(query: string): Query {
  return new Parser(query).parseQuery();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  /** Visible variables per query level; subqueries push a level. */
  private readonly scopes: Variable[][] = [[]];
  private readonly variables: Variable[] = [];
  private readonly bindParams: string[] = [];
  private readonly collections: string[] = [];

  constructor(private readonly query: string) {
    this.tokens = tokenize(query);
  }

  parseQuery(): Query {
    const withCollections: string[] = [];
    if (this.isKeyword('WITH')) {
      this.next();
      do {
        const name = this.collectionName();
        if ('name' in name) {
          withCollections.push(name.name);
          this.noteCollection(name.name);
        }
      } while (this.acceptOp(','));
    }
    const body = this.parseBody();
    const end = this.peek();
    if (end.type !== 'eof') throw this.unexpected(end);
    return {
      withCollections,
      body,
      bindParams: this.bindParams,
      collections: this.collections,
      variables: this.variables,
    };
  }

  // ---- statements -------------------------------------------------------

  private parseBody(): Statement[] {
    const body: Statement[] = [];
    for (;;) {
      const t = this.peek();
      const last = body[body.length - 1];
      if (last?.kind === 'return') return body;
      if (t.type === 'eof' || (t.type === 'op' && t.value === ')')) {
        if (last === undefined || (last.kind !== 'modify' && last.kind !== 'upsert'))
          throw this.unexpected(t);
        return body;
      }
      body.push(this.parseStatement());
    }
  }

  private parseStatement(): Statement {
    const t = this.next();
    if (t.type !== 'keyword') throw this.unexpected(t);
    switch (t.value) {
      case 'FOR':
        return this.parseFor(t);
      case 'LET': {
        const name = this.variableName();
        this.expectOp('=');
        const expr = this.parseExpr(0);
        return { kind: 'let', pos: t, variable: this.declare(name), expr };
      }
      case 'FILTER':
        return { kind: 'filter', pos: t, expr: this.parseExpr(0) };
      case 'SORT': {
        const elements: SortElement[] = [];
        do {
          const expr = this.parseExpr(0);
          let ascending = true;
          if (this.isKeyword('ASC')) this.next();
          else if (this.isKeyword('DESC')) {
            this.next();
            ascending = false;
          }
          elements.push({ expr, ascending });
        } while (this.acceptOp(','));
        return { kind: 'sort', pos: t, elements };
      }
      case 'LIMIT': {
        const first = this.parseExpr(0);
        if (this.acceptOp(',')) return { kind: 'limit', pos: t, offset: first, count: this.parseExpr(0) };
        return { kind: 'limit', pos: t, offset: { kind: 'value', value: 0 }, count: first };
      }
      case 'RETURN': {
        const distinct = this.isKeyword('DISTINCT');
        if (distinct) this.next();
        return { kind: 'return', pos: t, expr: this.parseExpr(0), distinct };
      }
      case 'COLLECT':
        return this.parseCollect(t);
      case 'INSERT': {
        const doc = this.parseExpr(0, true);
        if (!this.isKeyword('INTO') && !this.isKeyword('IN')) throw this.unexpected(this.peek());
        this.next();
        return this.finishModify(t, 'insert', undefined, doc);
      }
      case 'UPDATE':
      case 'REPLACE': {
        const first = this.parseExpr(0, true);
        let key: Expr | undefined;
        let doc = first;
        if (this.isKeyword('WITH')) {
          this.next();
          key = first;
          doc = this.parseExpr(0, true);
        }
        this.expectKeyword('IN');
        return this.finishModify(t, t.value === 'UPDATE' ? 'update' : 'replace', key, doc);
      }
      case 'REMOVE': {
        const key = this.parseExpr(0, true);
        this.expectKeyword('IN');
        return this.finishModify(t, 'remove', key, key);
      }
      case 'UPSERT':
        return this.parseUpsert(t);
      case 'SEARCH':
      case 'WINDOW':
        throw unsupported(t.value, this.query, t.offset, t.line, t.column);
      default:
        throw this.unexpected(t);
    }
  }

  private parseFor(forToken: Token): Statement {
    const names = [this.variableName()];
    while (this.acceptOp(',')) names.push(this.variableName());
    this.expectKeyword('IN');
    let depth: Expr | undefined;
    if (!this.isDirection()) {
      const source = this.parseExpr(0);
      if (!this.isDirection()) {
        if (names.length > 1) throw this.unexpected(this.peek());
        const next = this.peek();
        if (next.type === 'keyword' && (next.value === 'SEARCH' || PATH_SEARCHES.has(next.value))) {
          throw unsupported(next.value, this.query, next.offset, next.line, next.column);
        }
        const options = this.parseOptions();
        return {
          kind: 'for',
          pos: forToken,
          variable: this.declare(names[0] as string),
          source,
          ...(options && { options }),
        };
      }
      depth = source;
    }
    if (names.length > 3) throw this.unexpected(forToken);
    const direction = this.next().value.toLowerCase() as Direction;
    const maybePath = this.peek();
    if (maybePath.type === 'keyword' && PATH_SEARCHES.has(maybePath.value)) {
      throw unsupported(maybePath.value, this.query, maybePath.offset, maybePath.line, maybePath.column);
    }
    const start = this.parseExpr(0);
    const edgeCollections: { collection: CollectionName; direction?: Direction }[] = [];
    let graph: Expr | undefined;
    if (this.isKeyword('GRAPH')) {
      this.next();
      graph = this.parsePrimary();
    } else {
      do {
        let dir: Direction | undefined;
        if (this.isDirection()) dir = this.next().value.toLowerCase() as Direction;
        const collection = this.collectionName();
        if ('name' in collection) this.noteCollection(collection.name);
        edgeCollections.push(dir ? { collection, direction: dir } : { collection });
      } while (this.acceptOp(','));
    }
    if (this.isKeyword('PRUNE')) {
      const p = this.peek();
      throw unsupported('PRUNE', this.query, p.offset, p.line, p.column);
    }
    const options = this.parseOptions();
    let minDepth: Expr = { kind: 'value', value: 1 };
    let maxDepth: Expr = minDepth;
    if (depth?.kind === 'range') {
      minDepth = depth.from;
      maxDepth = depth.to;
    } else if (depth) {
      minDepth = depth;
      maxDepth = depth;
    }
    const [vName, eName, pName] = names as [string, string?, string?];
    const vertex = this.declare(vName);
    const edge = eName === undefined ? undefined : this.declare(eName);
    const path = pName === undefined ? undefined : this.declare(pName);
    return {
      kind: 'traversal',
      pos: forToken,
      vertex,
      ...(edge && { edge }),
      ...(path && { path }),
      minDepth,
      maxDepth,
      direction,
      start,
      edgeCollections,
      ...(graph && { graph }),
      ...(options && { options }),
    };
  }

  private parseCollect(t: Token): Statement {
    const groups: { name: string; expr: Expr }[] = [];
    const aggregates: { name: string; fn: string; arg: Expr }[] = [];
    let into: { name: string; expr?: Expr; keep?: string[] } | undefined;
    let countInto: string | undefined;
    if (!this.isKeyword('WITH') && !this.isKeyword('AGGREGATE') && !this.isKeyword('INTO')) {
      do {
        const name = this.variableName();
        this.expectOp('=');
        groups.push({ name, expr: this.parseExpr(0) });
      } while (this.acceptOp(','));
    }
    if (this.isKeyword('AGGREGATE')) {
      this.next();
      do {
        const name = this.variableName();
        this.expectOp('=');
        // Aggregate functions take exactly one argument here, whatever their arity as plain functions (PUSH).
        const fn = this.next();
        if (fn.type !== 'ident' || !AGGREGATE_FUNCTIONS.has(fn.value.toUpperCase()) || !this.isOp('(')) {
          throw invalidAggregate();
        }
        this.next();
        const arg = this.parseExpr(0);
        if (!this.acceptOp(')')) throw invalidAggregate();
        aggregates.push({ name, fn: fn.value.toUpperCase(), arg });
      } while (this.acceptOp(','));
    }
    if (this.isKeyword('INTO')) {
      this.next();
      const name = this.variableName();
      into = { name };
      if (this.acceptOp('=')) into.expr = this.parseExpr(0);
      else if (this.peek().type === 'ident' && this.peek().value.toUpperCase() === 'KEEP') {
        this.next();
        into.keep = [];
        do into.keep.push(this.variableName());
        while (this.acceptOp(','));
      }
    }
    if (this.isKeyword('WITH')) {
      this.next();
      const count = this.next();
      if (count.type !== 'ident' || count.value.toUpperCase() !== 'COUNT') throw this.unexpected(count);
      this.expectKeyword('INTO');
      countInto = this.variableName();
    }
    const options = this.parseOptions();
    const visible = this.visibleUserVariables();
    const keep = into?.keep?.map((n) => {
      const v = this.lookup(n);
      if (!v) throw new SimError(400, ERR.unknownVariable, `unknown variable '${n}'`);
      return v;
    });
    // COLLECT ends the scope of everything declared before it on this query level.
    this.scopes[this.scopes.length - 1] = [];
    return {
      kind: 'collect',
      pos: t,
      groups: groups.map((g) => ({ variable: this.declare(g.name), expr: g.expr })),
      aggregates: aggregates.map(
        (a): Aggregate => ({ variable: this.declare(a.name), fn: a.fn, arg: a.arg }),
      ),
      ...(into && {
        into: {
          variable: this.declare(into.name),
          ...(into.expr && { expr: into.expr }),
          ...(keep && { keep }),
        },
      }),
      ...(countInto !== undefined && { countInto: this.declare(countInto) }),
      visible,
      ...(options && { options }),
    };
  }

  private finishModify(
    t: Token,
    op: 'insert' | 'update' | 'replace' | 'remove',
    key: Expr | undefined,
    doc: Expr,
  ) {
    const collection = this.collectionName();
    if ('name' in collection) this.noteCollection(collection.name);
    const options = this.parseOptions();
    return {
      kind: 'modify' as const,
      pos: t,
      op,
      ...(key && { key }),
      doc,
      collection,
      ...(options && { options }),
      oldVar: this.declare('OLD'),
      newVar: this.declare('NEW'),
    };
  }

  private parseUpsert(t: Token): Statement {
    const search = this.parseExpr(0);
    this.expectKeyword('INSERT');
    const insert = this.parseExpr(0);
    const mode = this.next();
    if (mode.type !== 'keyword' || (mode.value !== 'UPDATE' && mode.value !== 'REPLACE'))
      throw this.unexpected(mode);
    const oldVar = this.declare('OLD');
    const update = this.parseExpr(0, true);
    this.expectKeyword('IN');
    const collection = this.collectionName();
    if ('name' in collection) this.noteCollection(collection.name);
    const options = this.parseOptions();
    return {
      kind: 'upsert',
      pos: t,
      search,
      insert,
      update,
      replace: mode.value === 'REPLACE',
      collection,
      ...(options && { options }),
      oldVar,
      newVar: this.declare('NEW'),
    };
  }

  private parseOptions(): Expr | undefined {
    const t = this.peek();
    if (t.type !== 'ident' || t.value.toUpperCase() !== 'OPTIONS' || t.quoted) return undefined;
    this.next();
    const brace = this.peek();
    if (brace.type !== 'op' || brace.value !== '{') throw this.unexpected(brace);
    return this.parsePrimary();
  }

  // ---- expressions ------------------------------------------------------

  /** `noIn`: in `REMOVE x IN coll` and friends, a top-level IN ends the expression instead of comparing. */
  parseExpr(minBp: number, noIn = false): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const infix = this.infixOf(t);
      if (infix === undefined || infix.bp < minBp) return left;
      if (noIn && (infix.op === 'in' || infix.op === 'not in')) return left;
      this.i += infix.width;
      if (infix.op === '?') {
        if (this.acceptOp(':')) {
          left = { kind: 'ternary', condition: left, otherwise: this.parseExpr(BP.ternary, noIn) };
        } else {
          const whenTrue = this.parseExpr(BP.ternary, noIn);
          this.expectOp(':');
          left = { kind: 'ternary', condition: left, whenTrue, otherwise: this.parseExpr(BP.ternary, noIn) };
        }
      } else if (infix.op === '..') {
        left = { kind: 'range', from: left, to: this.parseExpr(infix.bp + 1, noIn) };
      } else {
        left = { kind: 'binary', op: infix.op, left, right: this.parseExpr(infix.bp + 1, noIn) };
      }
    }
  }

  private infixOf(t: Token): { op: BinaryOp | '?' | '..'; bp: number; width: number } | undefined {
    if (t.type === 'op') {
      switch (t.value) {
        case '?':
          return { op: '?', bp: BP.ternary, width: 1 };
        case '||':
          return { op: '||', bp: BP.or, width: 1 };
        case '&&':
          return { op: '&&', bp: BP.and, width: 1 };
        case '==':
        case '!=':
        case '=~':
        case '!~':
          return { op: t.value, bp: BP.equality, width: 1 };
        case '<':
        case '<=':
        case '>':
        case '>=':
          return { op: t.value, bp: BP.relational, width: 1 };
        case '..':
          return { op: '..', bp: BP.range, width: 1 };
        case '+':
        case '-':
          return { op: t.value, bp: BP.additive, width: 1 };
        case '*':
        case '/':
        case '%':
          return { op: t.value, bp: BP.mult, width: 1 };
      }
      return undefined;
    }
    if (t.type !== 'keyword') return undefined;
    switch (t.value) {
      case 'OR':
        return { op: '||', bp: BP.or, width: 1 };
      case 'AND':
        return { op: '&&', bp: BP.and, width: 1 };
      case 'LIKE':
        return { op: 'like', bp: BP.equality, width: 1 };
      case 'IN':
        return { op: 'in', bp: BP.in, width: 1 };
      case 'NOT': {
        const after = this.tokens[this.i + 1];
        if (after?.type === 'keyword' && after.value === 'IN') return { op: 'not in', bp: BP.in, width: 2 };
        if (after?.type === 'keyword' && after.value === 'LIKE')
          return { op: 'not like', bp: BP.equality, width: 2 };
        return undefined;
      }
    }
    return undefined;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '!')) {
      this.next();
      return { kind: 'unary', op: t.value, operand: this.parseExpr(UNARY_BP) };
    }
    if (t.type === 'keyword' && t.value === 'NOT') {
      this.next();
      return { kind: 'unary', op: '!', operand: this.parseExpr(UNARY_BP) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op') return e;
      if (t.value === '.') {
        this.next();
        const name = this.next();
        if (name.type === 'param') {
          this.noteParam(name.value);
          e = { kind: 'index', object: e, index: { kind: 'param', name: name.value } };
        } else if (name.type === 'ident' || name.type === 'keyword' || name.type === 'string') {
          e = { kind: 'attr', object: e, name: name.type === 'keyword' ? this.rawText(name) : name.value };
        } else throw this.unexpected(name);
      } else if (t.value === '[') {
        const star = this.tokens[this.i + 1];
        if (star?.type === 'op' && star.value === '*') {
          this.i += 2;
          e = this.parseExpansion(e);
        } else {
          this.next();
          const index = this.parseExpr(0);
          this.expectOp(']');
          e = { kind: 'index', object: e, index };
        }
      } else return e;
    }
  }

  /** `source[* FILTER … RETURN …]` optionally followed by `.attr`/`[i]` applied to each element. */
  private parseExpansion(source: Expr): Expr {
    const iterator = this.newVariable('CURRENT', false);
    this.scopes.push([iterator]);
    let filter: Expr | undefined;
    let map: Expr = { kind: 'ref', variable: iterator };
    if (this.isKeyword('FILTER')) {
      this.next();
      filter = this.parseExpr(0);
    }
    if (this.isKeyword('RETURN')) {
      this.next();
      map = this.parseExpr(0);
    }
    this.expectOp(']');
    this.scopes.pop();
    map = this.parsePostfix(map);
    return { kind: 'expand', source, iterator, ...(filter && { filter }), map };
  }

  parsePrimary(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'int':
      case 'double':
        return { kind: 'value', value: numberValue(t) };
      case 'string':
        return { kind: 'value', value: t.value };
      case 'param':
        this.noteParam(t.value);
        return { kind: 'param', name: t.value };
      case 'dsparam':
        this.noteParam(`@${t.value}`);
        return { kind: 'param', name: `@${t.value}` };
      case 'keyword':
        if (t.value === 'NULL') return { kind: 'value', value: null };
        if (t.value === 'TRUE') return { kind: 'value', value: true };
        if (t.value === 'FALSE') return { kind: 'value', value: false };
        if (t.value === 'LIKE' && this.isOp('(')) return this.parseCall('LIKE');
        throw this.unexpected(t);
      case 'ident': {
        if (!t.quoted && (this.isOp('(') || this.isOp('::'))) {
          let name = t.value;
          while (this.acceptOp('::')) name += `::${this.next().value}`;
          return this.parseCall(name.toUpperCase());
        }
        const v = this.lookup(t.value);
        if (v) return { kind: 'ref', variable: v };
        this.noteCollection(t.value);
        return { kind: 'collection', name: t.value };
      }
      case 'op':
        if (t.value === '(') {
          const first = this.peek();
          if (first.type === 'keyword' && STATEMENT_KEYWORDS.has(first.value)) {
            this.scopes.push([]);
            const body = this.parseBody();
            this.scopes.pop();
            this.expectOp(')');
            return { kind: 'subquery', body };
          }
          const inner = this.parseExpr(0);
          this.expectOp(')');
          return inner;
        }
        if (t.value === '[') {
          const items: Expr[] = [];
          if (!this.acceptOp(']')) {
            do {
              if (this.isOp(']')) break;
              items.push(this.parseExpr(0));
            } while (this.acceptOp(','));
            this.expectOp(']');
          }
          return { kind: 'array', items };
        }
        if (t.value === '{') return this.parseObject();
        throw this.unexpected(t);
      default:
        throw this.unexpected(t);
    }
  }

  private parseObject(): Expr {
    const entries: ObjectEntry[] = [];
    if (this.acceptOp('}')) return { kind: 'object', entries };
    do {
      if (this.isOp('}')) break;
      const k = this.next();
      if (k.type === 'op' && k.value === '[') {
        const key = this.parseExpr(0);
        this.expectOp(']');
        this.expectOp(':');
        entries.push({ key, value: this.parseExpr(0), computed: true });
        continue;
      }
      if (k.type === 'param') {
        this.noteParam(k.value);
        this.expectOp(':');
        entries.push({ key: { kind: 'param', name: k.value }, value: this.parseExpr(0), computed: true });
        continue;
      }
      let key: string;
      if (k.type === 'ident' || k.type === 'string') key = k.value;
      else if (k.type === 'keyword') key = this.rawText(k);
      else if (k.type === 'int' || k.type === 'double') key = String(numberValue(k));
      else throw this.unexpected(k);
      if (this.acceptOp(':')) {
        entries.push({ key, value: this.parseExpr(0) });
      } else if (k.type === 'ident') {
        const v = this.lookup(key);
        if (!v) throw new SimError(400, ERR.unknownVariable, `unknown variable '${key}'`);
        entries.push({ key, value: { kind: 'ref', variable: v } });
      } else throw this.unexpected(this.peek());
    } while (this.acceptOp(','));
    this.expectOp('}');
    return { kind: 'object', entries };
  }

  private parseCall(name: string): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.acceptOp(')')) {
      do args.push(this.parseExpr(0));
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    const arity = functionArity(name);
    if (!arity) throw unknownFunction(name);
    if (args.length < arity.min || args.length > arity.max)
      throw argCountMismatch(name, arity.min, arity.max);
    return { kind: 'call', name, args };
  }

  // ---- helpers ----------------------------------------------------------

  private collectionName(): CollectionName {
    const t = this.next();
    if (t.type === 'ident' || t.type === 'string') return { name: t.value };
    if (t.type === 'dsparam') {
      this.noteParam(`@${t.value}`);
      return { param: `@${t.value}` };
    }
    if (t.type === 'param') {
      this.noteParam(t.value);
      return { param: t.value };
    }
    throw this.unexpected(t);
  }

  private variableName(): string {
    const t = this.next();
    if (t.type !== 'ident') throw this.unexpected(t);
    return t.value;
  }

  private newVariable(name: string, user: boolean): Variable {
    const v: Variable = { id: this.variables.length, name, user };
    this.variables.push(v);
    return v;
  }

  private declare(name: string): Variable {
    const scope = this.scopes[this.scopes.length - 1] as Variable[];
    if (this.lookup(name) && name !== 'OLD' && name !== 'NEW') {
      throw new SimError(400, ERR.variableRedeclared, `variable '${name}' is assigned multiple times`);
    }
    const v = this.newVariable(name, true);
    const existing = scope.findIndex((s) => s.name === name);
    if (existing >= 0) scope.splice(existing, 1);
    scope.push(v);
    return v;
  }

  private lookup(name: string): Variable | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const scope = this.scopes[s] as Variable[];
      for (let j = scope.length - 1; j >= 0; j--) if ((scope[j] as Variable).name === name) return scope[j];
    }
    return undefined;
  }

  private visibleUserVariables(): Variable[] {
    return (this.scopes[this.scopes.length - 1] as Variable[]).filter((v) => v.user);
  }

  private noteParam(name: string): void {
    if (!this.bindParams.includes(name)) this.bindParams.push(name);
  }

  private noteCollection(name: string): void {
    if (!this.collections.includes(name)) this.collections.push(name);
  }

  /** A keyword used as an attribute name keeps the user's spelling. */
  private rawText(t: Token): string {
    return this.query.slice(t.offset, t.offset + t.value.length);
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === v;
  }

  private isKeyword(v: string): boolean {
    const t = this.peek();
    return t.type === 'keyword' && t.value === v;
  }

  private isDirection(): boolean {
    const t = this.peek();
    return t.type === 'keyword' && DIRECTIONS.has(t.value);
  }

  private acceptOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }

  private expectOp(v: string): void {
    if (!this.acceptOp(v)) throw this.unexpected(this.peek());
  }

  private expectKeyword(v: string): void {
    if (!this.isKeyword(v)) throw this.unexpected(this.peek());
    this.i++;
  }

  private unexpected(t: Token): SimError {
    return syntaxError(this.query, `unexpected ${describeToken(t)}`, t.offset, t.line, t.column);
  }
}
