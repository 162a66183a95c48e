/**
 * The configuration sections every role shares. Role packages export their own
 * section schemas; the CLI composes them with {@link baseConfigSchema}.
 * Every field has a default or is optional, so an empty config is valid and
 * `npm start` runs without one. Secret fields carry `.meta({ secret: true })`:
 * the logger redacts them and the reference table says so.
 *
 * A new section follows the same pattern: a `z.strictObject` (the loader also
 * refuses unknown keys, with a "did you mean"), durations as
 * {@link milliseconds}, files as {@link inputFile} so `config check` finds a
 * bad one, secrets in files or the environment rather than flags.
 */
import { z } from 'zod';
import { inputFile, milliseconds, notBlank, pemCertificateProblem } from './config-fields.js';

export const arangoConfigSchema = z
  .strictObject({
    url: z
      .array(
        z
          .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
          // fetch refuses URLs with credentials, and a password there would end up in logs.
          .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
            error: 'must not contain credentials: set arango.username and arango.password instead',
          }),
      )
      .min(1)
      .default(['http://127.0.0.1:8529'])
      .describe('ArangoDB endpoints (coordinators in a cluster); tried in turn when one is unreachable.'),
    database: z.string().min(1).default('_system').describe('Database used for server-level requests.'),
    username: z.string().min(1).default('root').describe('User for basic authentication.'),
    password: z
      .string()
      .optional()
      .meta({ secret: true })
      .describe('Password for basic authentication. Ignored when jwtFile is set.'),
    jwtFile: inputFile(notBlank)
      .optional()
      .describe(
        'File holding a JWT (bearer token); read again for every request so rotated tokens are picked up.',
      ),
    tls: z
      .strictObject({
        caFile: inputFile(pemCertificateProblem)
          .optional()
          .describe('PEM file with the CA that signed the server certificates.'),
        insecure: z
          .boolean()
          .default(false)
          .describe('Accept any server certificate. For test clusters only; logs a warning.'),
      })
      // Both set is a contradiction; preferring either silently hides a mistake.
      .refine((tls) => !(tls.insecure && tls.caFile), {
        error: 'insecure and caFile contradict each other: remove insecure to verify against caFile',
        path: ['insecure'],
      })
      .prefault({}),
    timeoutMs: milliseconds(10_000).describe('Timeout of one request, in milliseconds.'),
    maxConcurrentRequests: z
      .number()
      .int()
      .positive()
      .default(16)
      .describe(
        'Requests in flight at once, and metrics pages read at once on connections of their own; more wait in a queue. A scrape fetches every server metrics page at the same time.',
      ),
    retries: z
      .strictObject({
        max: z
          .number()
          .int()
          .min(0)
          .default(3)
          .describe('Retries of a request that failed in a way that is safe to retry.'),
        baseDelayMs: milliseconds(200).describe('First backoff delay; doubles on each retry, with jitter.'),
        maxDelayMs: milliseconds(5_000).describe('Upper bound of one backoff delay.'),
      })
      .prefault({}),
  })
  .prefault({});

export const logConfigSchema = z
  .strictObject({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log level. Logs go to stderr: JSON lines, or readable lines when stderr is a terminal.'),
  })
  .prefault({});

export const awsConfigSchema = z
  .strictObject({
    region: z.string().min(1).default('us-east-1').describe('AWS region of the S3 bucket and KMS key.'),
    endpoint: z
      .url()
      .optional()
      .describe(
        'Custom endpoint for S3 and KMS (an S3-compatible store or an emulator); implies path-style addressing.',
      ),
    accessKeyId: z
      .string()
      .optional()
      .describe('Access key id; by default the AWS SDK credential chain is used.'),
    secretAccessKey: z
      .string()
      .optional()
      .meta({ secret: true })
      .describe('Secret access key, with accessKeyId.'),
    sessionToken: z
      .string()
      .optional()
      .meta({ secret: true })
      .describe('Session token for temporary credentials.'),
  })
  .prefault({});

export const runRecordsConfigSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .default('.arangops/runs')
      .describe('Folder where each job records the outcome of its last run; the exporter reads it.'),
    inStore: z
      .boolean()
      .default(false)
      .describe(
        "Also write run records to the backup store's runs/, and read them from there (the exporter in its own pod).",
      ),
    cacheSeconds: z
      .number()
      .nonnegative()
      .default(30)
      .describe('How long the exporter reuses run records read from the backup store.'),
  })
  .prefault({});

export const backupConfigSchema = z
  .strictObject({
    store: z
      .string()
      .min(1)
      .optional()
      .describe('Where backups live: s3://bucket/prefix or file:///path. Shared by backup and verify.'),
    kmsKeyId: z
      .string()
      .min(1)
      .optional()
      .describe("KMS key (id, ARN or alias) that wraps each backup's data key."),
    keyFile: inputFile(notBlank)
      .optional()
      .describe('File holding a base64 256-bit key (openssl rand -base64 32), instead of KMS.'),
    sseKmsKeyId: z
      .string()
      .min(1)
      .optional()
      .describe('Also ask S3 for SSE-KMS with this key (on top of our encryption).'),
    database: z.string().min(1).optional().describe('Database to back up (default: arango.database).'),
    parallel: z.number().int().positive().default(2).describe('Collections read at the same time.'),
    keepDays: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('prune: keep backups younger than this many days.'),
    keepLast: z
      .number()
      .int()
      .positive()
      .default(7)
      .describe('prune: always keep this many newest complete backups.'),
  })
  .prefault({});

export const baseConfigSchema = z.strictObject({
  arango: arangoConfigSchema,
  log: logConfigSchema,
  aws: awsConfigSchema,
  runRecords: runRecordsConfigSchema,
  backup: backupConfigSchema,
});

export type ArangoConfig = z.infer<typeof arangoConfigSchema>;
export type LogConfig = z.infer<typeof logConfigSchema>;
export type AwsConfig = z.infer<typeof awsConfigSchema>;
export type BackupConfig = z.infer<typeof backupConfigSchema>;
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * The standard variables other tools already use. They rank below the
 * `ARANGOPS_*` form of the same setting.
 */
export const STANDARD_ENV: Readonly<Record<string, string>> = {
  ARANGO_URL: 'arango.url',
  ARANGO_USERNAME: 'arango.username',
  ARANGO_PASSWORD: 'arango.password',
  ARANGO_JWT_FILE: 'arango.jwtFile',
  AWS_REGION: 'aws.region',
  AWS_ENDPOINT_URL: 'aws.endpoint',
  AWS_ACCESS_KEY_ID: 'aws.accessKeyId',
  AWS_SECRET_ACCESS_KEY: 'aws.secretAccessKey',
  AWS_SESSION_TOKEN: 'aws.sessionToken',
  // Short names every role (backup, verify, the chart) shares for the store and key.
  ARANGOPS_STORE: 'backup.store',
  ARANGOPS_KMS_KEY_ID: 'backup.kmsKeyId',
  ARANGOPS_KEY_FILE: 'backup.keyFile',
};
