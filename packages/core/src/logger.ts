import { createRequire } from 'node:module';
import { pino } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { scrubSecrets } from './secrets.js';

/** Loaded for a person at a terminal only: services log JSON and need not hold its 29 modules. */
const prettyFactory = (options: PrettyOptions): ((line: string) => string) =>
  (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')).prettyFactory(options);

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; stdout by default (synchronously, so a short job loses no line at exit). */
  destination?: { write(line: string): unknown };
  /**
   * `json` (the default) for collectors and files; `pretty` for a person at a terminal: one
   * readable line per entry (time, level, message, fields), in colour when `color` is set.
   */
  format?: 'json' | 'pretty';
  color?: boolean;
}

/**
 * pino logs. Every finished JSON line passes through {@link scrubSecrets} (before it is made
 * pretty), so a secret is caught however it got into the line: a field, an error message, a
 * stack, a URL.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  const pretty =
    options.format === 'pretty'
      ? prettyFactory({
          colorize: options.color === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,name',
          singleLine: true,
        })
      : undefined;
  const stream = {
    write: (line: string) => {
      const clean = scrubSecrets(line);
      target.write(pretty ? pretty(clean) : clean);
    },
  };
  return pino(
    {
      name: options.name ?? 'arangops',
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}
