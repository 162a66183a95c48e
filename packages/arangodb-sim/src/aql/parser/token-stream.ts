/** Token access for the parser: lookahead, matching and the syntax errors ArangoDB reports. */
import { parseErrorAt, syntaxError } from '../errors.js';
import type { SimError } from '../host.js';
import { describeToken, type Token, tokenize } from '../lexer.js';

export class TokenStream {
  protected readonly tokens: Token[];
  protected i = 0;

  constructor(protected readonly query: string) {
    this.tokens = tokenize(query);
  }

  /** A keyword used as an attribute name keeps the user's spelling. */
  protected rawText(t: Token): string {
    return this.query.slice(t.offset, t.offset + t.value.length);
  }

  protected peek(): Token {
    return this.tokens[this.i] as Token;
  }

  protected next(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.type !== 'eof') this.i++;
    return t;
  }

  protected isOp(v: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === v;
  }

  protected isKeyword(v: string): boolean {
    const t = this.peek();
    return t.type === 'keyword' && t.value === v;
  }

  protected acceptOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }

  protected expectOp(v: string): void {
    if (!this.acceptOp(v)) throw this.unexpected(this.peek());
  }

  protected expectKeyword(v: string): void {
    if (!this.isKeyword(v)) throw this.unexpected(this.peek());
    this.i++;
  }

  protected unexpected(t: Token): SimError {
    return syntaxError(this.query, `unexpected ${describeToken(t)}`, t.offset, t.line, t.column);
  }

  /** A grammar-action error (registerParseError) reported at token `t`, usually bison's lookahead. */
  protected errorAt(errorNum: number, message: string, t: Token = this.peek()): SimError {
    return parseErrorAt(errorNum, message, this.query, t);
  }
}
