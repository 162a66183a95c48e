import { pino } from 'pino';
import { scrubSecrets } from './secrets.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where JSON lines go; stdout by default (synchronously, so a short job loses no line at exit). */
  destination?: { write(line: string): unknown };
}

/**
 * pino JSON logs. Every finished line passes through {@link scrubSecrets}, so
 * a secret is caught however it got into the line: a field, an error message,
 * a stack, a URL.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  const stream = { write: (line: string) => target.write(scrubSecrets(line)) };
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
