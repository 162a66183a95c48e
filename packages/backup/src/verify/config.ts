import { z } from 'zod';

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
      .default(6)
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
    parallel: z.number().int().positive().default(4).describe('Import requests in flight during a restore.'),
    leaseTtlSeconds: z
      .number()
      .int()
      .min(1)
      .default(900)
      .describe('Lifetime of the verifier lease; the holder renews it, a crashed holder’s lease expires.'),
  })
  .prefault({});

export type VerifyConfig = z.infer<typeof verifyConfigSchema>;
