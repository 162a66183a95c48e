import { z } from 'zod';

// The engines' defaults live here, not there: this module is the light entry point the CLI loads at start.
export const DEFAULT_RESTORE_PARALLEL = 4;
export const DEFAULT_LEASE_TTL_MS = 15 * 60_000;
export const DEFAULT_JANITOR_MAX_AGE_MS = 6 * 3600_000;

/** The `verify` section of the arangops configuration. */
export const verifyConfigSchema = z
  .strictObject({
    rpoHours: z
      .number()
      .positive()
      .default(26)
      .describe('Recovery point objective: a backup older than this fails the age check.'),
    target: z
      .strictObject({
        url: z
          .array(z.url())
          .min(1)
          .optional()
          .describe(
            'Separate ArangoDB for scratch restores (default: the arango.url deployment); credentials as arango.*.',
          ),
      })
      .prefault({}),
    janitorMaxAgeHours: z
      .number()
      .positive()
      .default(DEFAULT_JANITOR_MAX_AGE_MS / 3600_000)
      .describe('Scratch databases left by crashed runs are dropped once older than this.'),
    replicationFactor: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('Replication factor of restored collections.'),
    sharding: z
      .enum(['smallest', 'source'])
      .default('smallest')
      .describe('Shards of restored collections: smallest (one each) or source (as in the backup).'),
    parallel: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_RESTORE_PARALLEL)
      .describe('Import requests in flight during a restore.'),
    leaseTtlSeconds: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_LEASE_TTL_MS / 1000)
      .describe('Lifetime of the verifier lease; the holder renews it, a crashed holder’s lease expires.'),
  })
  .prefault({});

export type VerifyConfig = z.infer<typeof verifyConfigSchema>;
