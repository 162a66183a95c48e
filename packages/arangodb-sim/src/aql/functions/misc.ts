/** Miscellaneous functions: SLEEP, JSON conversion, optimizer pass-throughs. */
import { toNumber, toStr } from '../evaluate/values.js';
import { type FunctionTable, invalidArg } from './registry.js';

export const miscFunctions: FunctionTable = {
  SLEEP: {
    min: 1,
    max: 1,
    fn: ([seconds], ctx) => {
      const s = toNumber(seconds);
      if (typeof seconds !== 'number' || s < 0) return invalidArg(ctx, 'SLEEP');
      ctx.sleep(s);
      return null;
    },
  },
  NOOPT: { min: 1, max: 1, fn: ([v]) => v },
  PASSTHRU: { min: 1, max: 1, fn: ([v]) => v },
  JSON_STRINGIFY: { min: 1, max: 1, fn: ([v]) => JSON.stringify(v ?? null) },
  JSON_PARSE: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => {
      try {
        return JSON.parse(toStr(v));
      } catch {
        return invalidArg(ctx, 'JSON_PARSE');
      }
    },
  },
};
