import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { registerSecret } from './secrets.js';

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    format,
    destination: { write: (l: string) => lines.push(l) },
  });
  return { lines, logger };
}

describe('createLogger', () => {
  it('writes one JSON object per line by default', () => {
    const { lines, logger } = capture('json');
    logger.warn({ operation: 'GET /_api/version', attempt: 1 }, 'retrying');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'retrying', attempt: 1 });
  });

  it('writes a readable line for a terminal, still without secrets', () => {
    registerSecret('s3cr3t-logger-value');
    const { lines, logger } = capture('pretty');
    logger.warn({ operation: 'GET /_api/version', token: 's3cr3t-logger-value' }, 'retrying');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: retrying \{"operation":"GET \/_api\/version"/);
    expect(lines[0]).not.toContain('s3cr3t-logger-value');
    expect(lines[0]).not.toContain('"level"');
  });
});
