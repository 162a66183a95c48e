/** Expression parsing (Pratt, with ArangoDB's operator precedence) and the variable scopes it resolves against. */
import type { BinaryOp, Expr, ObjectEntry, Statement, Variable } from '../ast.js';
import { argCountMismatch, ERR, unknownFunction } from '../errors.js';
import { functionArity } from '../functions/index.js';
import { numberValue, type Token } from '../lexer.js';
import { TokenStream } from './token-stream.js';

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

export abstract class ExpressionParser extends TokenStream {
  /** Visible variables per query level; subqueries push a level. */
  protected readonly scopes: Variable[][] = [[]];
  protected readonly variables: Variable[] = [];
  protected readonly bindParams: string[] = [];
  protected readonly collections: string[] = [];
  /** FOR loops opened so far on each query level; RETURN DISTINCT needs one. */
  private readonly loops: number[] = [0];

  /** A statement list, for subqueries; implemented by the statement parser. */
  protected abstract parseBody(): Statement[];

  /** `noIn`: in `REMOVE x IN coll` and friends, a top-level IN ends the expression instead of comparing. */
  protected parseExpr(minBp: number, noIn = false): Expr {
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

  protected infixOf(t: Token): { op: BinaryOp | '?' | '..'; bp: number; width: number } | undefined {
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

  protected parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '!')) {
      this.next();
      const operand = this.parseExpr(UNARY_BP);
      // Like Ast::optimizeUnaryOperatorArithmetic, the parser folds a sign into a number literal.
      if (t.value !== '!' && operand.kind === 'value' && typeof operand.value === 'number') {
        return { kind: 'value', value: t.value === '-' ? -operand.value : operand.value };
      }
      return { kind: 'unary', op: t.value, operand };
    }
    if (t.type === 'keyword' && t.value === 'NOT') {
      this.next();
      return { kind: 'unary', op: '!', operand: this.parseExpr(UNARY_BP) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  protected parsePostfix(base: Expr): Expr {
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
  protected parseExpansion(source: Expr): Expr {
    const iterator = this.newVariable('CURRENT', false);
    this.scopes.push([iterator]);
    let filter: Expr | undefined;
    let map: Expr = { kind: 'ref', variable: iterator };
    if (this.isKeyword('FILTER')) {
      this.next();
      filter = this.parseExpr(0);
    }
    let limit: { offset: Expr; count: Expr } | undefined;
    if (this.isKeyword('LIMIT')) {
      this.next();
      const first = this.parseExpr(0);
      limit = this.acceptOp(',')
        ? { offset: first, count: this.parseExpr(0) }
        : { offset: { kind: 'value', value: 0 }, count: first };
    }
    if (this.isKeyword('RETURN')) {
      this.next();
      map = this.parseExpr(0);
    }
    this.expectOp(']');
    this.scopes.pop();
    map = this.parsePostfix(map);
    return { kind: 'expand', source, iterator, ...(filter && { filter }), ...(limit && { limit }), map };
  }

  protected parsePrimary(): Expr {
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
          if (this.startsQuery()) {
            const body = this.parseSubquery();
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

  protected parseObject(): Expr {
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
        if (!v) throw this.errorAt(ERR.unknownVariable, `use of unknown variable '${key}' in object literal`);
        entries.push({ key, value: { kind: 'ref', variable: v } });
      } else throw this.unexpected(this.peek());
    } while (this.acceptOp(','));
    this.expectOp('}');
    return { kind: 'object', entries };
  }

  protected parseCall(name: string): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.acceptOp(')')) {
      do args.push(this.startsQuery() ? { kind: 'subquery', body: this.parseSubquery() } : this.parseExpr(0));
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    const arity = functionArity(name);
    if (!arity) throw unknownFunction(name);
    if (args.length < arity.min || args.length > arity.max)
      throw argCountMismatch(name, arity.min, arity.max);
    return { kind: 'call', name, args };
  }

  protected newVariable(name: string, user: boolean): Variable {
    const v: Variable = { id: this.variables.length, name, user };
    this.variables.push(v);
    return v;
  }

  protected lookup(name: string): Variable | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const scope = this.scopes[s] as Variable[];
      for (let j = scope.length - 1; j >= 0; j--) if ((scope[j] as Variable).name === name) return scope[j];
    }
    return undefined;
  }

  protected noteParam(name: string): void {
    if (!this.bindParams.includes(name)) this.bindParams.push(name);
  }

  protected noteCollection(name: string): void {
    if (!this.collections.includes(name)) this.collections.push(name);
  }

  protected startsQuery(): boolean {
    const t = this.peek();
    return t.type === 'keyword' && STATEMENT_KEYWORDS.has(t.value);
  }

  protected parseSubquery(): Statement[] {
    this.scopes.push([]);
    this.loops.push(0);
    const body = this.parseBody();
    this.loops.pop();
    this.scopes.pop();
    return body;
  }

  protected enterLoop(): void {
    this.loops[this.loops.length - 1] = this.loopDepth() + 1;
  }

  protected loopDepth(): number {
    return this.loops[this.loops.length - 1] as number;
  }
}
