/** The shape of an AQL function implementation and the context it runs in. */
import { ERR } from '../errors.js';
import type { AqlHost } from '../host.js';

export interface FunctionContext {
  readonly host: AqlHost;
  /** Records a query warning; AQL functions answer bad input with a warning and null, not an error. */
  warn(code: number, message: string): void;
  /**
   * SLEEP(): the time is owed, not spent: the engine never blocks the simulator's only thread; the
   * cursor waits it out before answering, and the query's own clock (`now`) moves on by it.
   */
  sleep(seconds: number): void;
  /** The query's clock: the host's time plus what SLEEP() asked for so far. */
  now(): number;
}

export interface AqlFunction {
  min: number;
  max: number;
  fn: (args: unknown[], ctx: FunctionContext) => unknown;
}

export type FunctionTable = Record<string, AqlFunction>;

/** Upper arity bound for variadic functions, matching the 65536 ArangoDB reports. */
export const VARIADIC = 65536;

/** Warning 1542, ArangoDB's answer to an argument of the wrong type. */
export function invalidArg(ctx: FunctionContext, name: string): null {
  ctx.warn(ERR.functionArgType, `invalid argument type in call to function '${name}()'`);
  return null;
}
