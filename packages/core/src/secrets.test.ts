/**
 * Secrets given in config never reach log output, at any level and on error
 * paths (issue: "a password, a JWT and an AWS secret key").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { createArangoConnection } from './arango.js';
import { baseConfigSchema } from './config.js';
import { loadConfig, registerConfigSecrets } from './config-loader.js';
import { toArangopsError } from './errors.js';
import { createLogger } from './logger.js';
import { clearRegisteredSecrets, registerSecret, scrubSecrets } from './secrets.js';

const PASSWORD = 'Pa55-w0rd.correct-horse';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
// A syntactically real HS256 JWT (header.payload.signature).
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhcmFuZ29kYiIsInNlcnZlcl9pZCI6InRlc3QifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
}

afterEach(() => clearRegisteredSecrets());

describe('secret redaction', () => {
  it('keeps config secrets out of every log line, at trace level and in error paths', async () => {
    const jwtFile = join(tempDir('jwt'), 'token');
    writeFileSync(jwtFile, `${JWT}\n`);
    const config = loadConfig(baseConfigSchema, {
      env: { ARANGO_PASSWORD: PASSWORD, AWS_SECRET_ACCESS_KEY: AWS_SECRET, ARANGO_URL: 'http://127.0.0.1:9' },
    });
    registerConfigSecrets(baseConfigSchema, config);
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'trace', destination });

    logger.trace({ config }, 'resolved configuration');
    logger.debug({ headers: { authorization: `bearer ${JWT}` } }, 'request');
    logger.info(`connecting with ${PASSWORD} and ${AWS_SECRET}`);
    logger.error({ err: new Error(`login failed for root:${PASSWORD} token ${JWT}`) }, 'failed');
    logger.warn({ url: `http://root:${PASSWORD}@db:8529/_api/version` }, 'url with credentials');
    logger.info(
      { presigned: `https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123456789&X-Amz-Expires=60` },
      'x',
    );

    // An arangojs failure on a closed port, logged the way roles log errors.
    const conn = createArangoConnection(
      { ...config.arango, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } },
      { logger },
    );
    const failure = await conn
      .database()
      .version()
      .catch((e: unknown) => toArangopsError(e));
    logger.error({ err: failure }, 'ArangoDB unreachable');
    conn.close();

    const output = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const secret of [PASSWORD, AWS_SECRET, JWT, 'abcdef0123456789'])
      expect(output).not.toContain(secret);
    expect(output).toContain('[REDACTED]');
    expect(output).toContain('ArangoDB unreachable');
  });

  it('scrubs secret-looking JSON fields even when nobody registered the value', () => {
    expect(scrubSecrets('{"password":"hunter2","secretAccessKey":"abc","user":"root"}')).toBe(
      '{"password":"[REDACTED]","secretAccessKey":"[REDACTED]","user":"root"}',
    );
  });

  it('scrubs registered values in JSON-escaped form too', () => {
    registerSecret('quote"and\\slash');
    expect(scrubSecrets(JSON.stringify({ note: 'x quote"and\\slash y' }))).toBe('{"note":"x [REDACTED] y"}');
  });

  it('scrubs short secrets too, where they stand alone rather than inside longer words', () => {
    registerSecret('pw1');
    registerSecret('a$b');
    expect(scrubSecrets('password pw1 rejected; pw123 and xpw1 are other words; "a$b"')).toBe(
      'password [REDACTED] rejected; pw123 and xpw1 are other words; "[REDACTED]"',
    );
  });
});
