/** Statement parsing: the query body, FOR/traversal, COLLECT, data modification and their scoping rules. */
import type {
  Aggregate,
  CollectionName,
  Direction,
  Expr,
  Query,
  SortElement,
  Statement,
  Variable,
} from '../ast.js';
import { ERR, unsupported } from '../errors.js';
import { AGGREGATE_FUNCTIONS } from '../functions/index.js';
import { SimError } from '../host.js';
import type { Token } from '../lexer.js';
import { ExpressionParser } from './expressions.js';

const DIRECTIONS = new Set(['OUTBOUND', 'INBOUND', 'ANY']);
const PATH_SEARCHES = new Set(['SHORTEST_PATH', 'K_SHORTEST_PATHS', 'K_PATHS', 'ALL_SHORTEST_PATHS']);

export class Parser extends ExpressionParser {
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

  protected parseBody(): Statement[] {
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
      body.push(...this.parseStatement());
    }
  }

  /** One statement; `LET a = 1, b = 2` yields one statement per assignment. */
  protected parseStatement(): Statement[] {
    const t = this.next();
    if (t.type !== 'keyword') throw this.unexpected(t);
    if (t.value === 'LET') {
      const lets: Statement[] = [];
      do {
        const name = this.variableName();
        this.expectOp('=');
        const expr = this.parseExpr(0);
        lets.push({ kind: 'let', pos: t, variable: this.declare(name), expr });
      } while (this.acceptOp(','));
      return lets;
    }
    return [this.parseSingle(t)];
  }

  protected parseSingle(t: Token): Statement {
    switch (t.value) {
      case 'FOR':
        return this.parseFor(t);
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
        if (distinct) {
          this.next();
          if (this.loopDepth() === 0) {
            throw this.errorAt(ERR.parse, 'cannot use DISTINCT modifier on top-level query element');
          }
        }
        return { kind: 'return', pos: t, expr: this.parseExpr(0), distinct };
      }
      case 'COLLECT':
        return this.parseCollect(t);
      case 'INSERT': {
        const doc = this.parseExpr(0, true);
        this.expectInOrInto();
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
        this.expectInOrInto();
        return this.finishModify(t, t.value === 'UPDATE' ? 'update' : 'replace', key, doc);
      }
      case 'REMOVE': {
        const key = this.parseExpr(0, true);
        this.expectInOrInto();
        return this.finishModify(t, 'remove', key, key);
      }
      case 'UPSERT':
        return this.parseUpsert(t);
      case 'WINDOW':
        throw unsupported(t.value, this.query, t.offset, t.line, t.column);
      default:
        throw this.unexpected(t);
    }
  }

  protected parseFor(forToken: Token): Statement {
    this.enterLoop();
    const names = [this.variableName()];
    while (this.acceptOp(',')) names.push(this.variableName());
    this.expectKeyword('IN');
    let depth: Expr | undefined;
    if (!this.isDirection()) {
      const source = this.parseExpr(0);
      if (!this.isDirection()) {
        if (names.length > 1) {
          throw this.errorAt(
            ERR.parse,
            'Collections and views FOR loops only allow a single return variable',
            forToken,
          );
        }
        const next = this.peek();
        // SEARCH, like OPTIONS, is a plain identifier the grammar checks by name.
        if (this.isQualifier('SEARCH'))
          throw unsupported('SEARCH', this.query, next.offset, next.line, next.column);
        if (next.type === 'keyword' && PATH_SEARCHES.has(next.value)) {
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
      // The graph is named by an identifier, a quoted string or a bind parameter, never an expression.
      const g = this.next();
      if (g.type === 'ident' || g.type === 'string') graph = { kind: 'value', value: g.value };
      else if (g.type === 'param') {
        this.noteParam(g.value);
        graph = { kind: 'param', name: g.value };
      } else throw this.unexpected(g);
    } else {
      do {
        let dir: Direction | undefined;
        if (this.isDirection()) dir = this.next().value.toLowerCase() as Direction;
        const collection = this.collectionName();
        if ('name' in collection) this.noteCollection(collection.name);
        edgeCollections.push(dir ? { collection, direction: dir } : { collection });
      } while (this.acceptOp(','));
    }
    if (this.isQualifier('PRUNE')) {
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

  protected parseCollect(t: Token): Statement {
    const groups: { name: string; expr: Expr }[] = [];
    const aggregates: { name: string; fn: string; args: Expr[] }[] = [];
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
        // The grammar wants `name(args)`; which functions may aggregate is checked once COLLECT is parsed.
        const fn = this.next();
        if (fn.type !== 'ident') throw this.unexpected(fn);
        this.expectOp('(');
        const args: Expr[] = [];
        if (!this.acceptOp(')')) {
          do args.push(this.parseExpr(0));
          while (this.acceptOp(','));
          this.expectOp(')');
        }
        aggregates.push({ name, fn: fn.value.toUpperCase(), args });
      } while (this.acceptOp(','));
    }
    if (this.isKeyword('INTO')) {
      this.next();
      const name = this.variableName();
      into = { name };
      if (this.acceptOp('=')) into.expr = this.parseExpr(0);
      else if (this.isQualifier('KEEP')) {
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
    // Aggregate functions take exactly one argument here, whatever their arity as plain functions (PUSH).
    if (aggregates.some((a) => !AGGREGATE_FUNCTIONS.has(a.fn) || a.args.length !== 1)) {
      throw this.errorAt(ERR.invalidAggregate, 'unknown aggregate function used');
    }
    const visible = this.visibleUserVariables();
    const keep = into?.keep?.map((n) => {
      const v = this.lookup(n);
      if (!v) throw this.errorAt(ERR.parse, `use of unknown variable '${n}' for KEEP`);
      return v;
    });
    // COLLECT ends the scope of everything declared before it on this query level.
    this.scopes[this.scopes.length - 1] = [];
    return {
      kind: 'collect',
      pos: t,
      groups: groups.map((g) => ({ variable: this.declare(g.name), expr: g.expr })),
      aggregates: aggregates.map(
        (a): Aggregate => ({ variable: this.declare(a.name), fn: a.fn, arg: a.args[0] as Expr }),
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

  protected finishModify(
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

  protected parseUpsert(t: Token): Statement {
    const search = this.parseExpr(0);
    this.expectKeyword('INSERT');
    const insert = this.parseExpr(0);
    const mode = this.next();
    if (mode.type !== 'keyword' || (mode.value !== 'UPDATE' && mode.value !== 'REPLACE'))
      throw this.unexpected(mode);
    const oldVar = this.declare('OLD');
    const update = this.parseExpr(0, true);
    this.expectInOrInto();
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

  protected parseOptions(): Expr | undefined {
    if (!this.isQualifier('OPTIONS')) return undefined;
    this.next();
    const brace = this.peek();
    if (brace.type !== 'op' || brace.value !== '{') throw this.unexpected(brace);
    return this.parsePrimary();
  }

  protected collectionName(): CollectionName {
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

  protected variableName(): string {
    const t = this.next();
    if (t.type !== 'ident') throw this.unexpected(t);
    return t.value;
  }

  protected declare(name: string): Variable {
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

  protected visibleUserVariables(): Variable[] {
    return (this.scopes[this.scopes.length - 1] as Variable[]).filter((v) => v.user);
  }

  protected isDirection(): boolean {
    const t = this.peek();
    return t.type === 'keyword' && DIRECTIONS.has(t.value);
  }

  protected expectInOrInto(): void {
    if (!this.isKeyword('IN') && !this.isKeyword('INTO')) throw this.unexpected(this.peek());
    this.next();
  }

  /** OPTIONS, SEARCH, PRUNE, KEEP and COUNT are identifiers that the grammar compares case-insensitively. */
  protected isQualifier(word: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && !t.quoted && t.value.toUpperCase() === word;
  }
}
