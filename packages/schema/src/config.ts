import { MAX_TIMER_MS } from '@arangops/core';
import { z } from 'zod';
import { DRIFT_CLASSES } from './classes.js';
import {
  BUILTIN_PROFILE_PREFIX,
  DEFAULT_PROFILE,
  isKnownProfile,
  resolveProfileDir,
  SHIPPED_PROFILES,
} from './paths.js';

/** The `schema` section of the arangops configuration (drift and bootstrap). */
export const schemaConfigSchema = z
  .strictObject({
    profileDir: z
      .string()
      .min(1)
      .default(DEFAULT_PROFILE)
      .refine(isKnownProfile, {
        error: (issue) =>
          `unknown shipped profile ${String(issue.input)}; shipped: ${SHIPPED_PROFILES.join(', ')}`,
      })
      .transform(resolveProfileDir)
      .describe(
        `Profile folder holding schema.yaml, or ${BUILTIN_PROFILE_PREFIX}<name> for a shipped profile (${SHIPPED_PROFILES.join(', ')}).`,
      ),
    ignore: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Globs of drift paths to ignore, e.g. codevaldcortex/collections/tmp_* (`*` stays within a segment, `**` spans segments).',
      ),
    failOn: z
      .enum(DRIFT_CLASSES as [string, ...string[]])
      .default('additive')
      .describe(
        'Least severe drift class that fails the check: additive < mutable < recreate < destructive.',
      ),
    sampleSize: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Documents sampled per collection and checked against its validation rule; 0 turns the check off.',
      ),
    waitTimeoutSeconds: z
      .number()
      .positive()
      .max(Math.floor(MAX_TIMER_MS / 1000), {
        error: 'must be at most 2147483 s, the longest timer Node.js keeps',
      })
      .default(300)
      .describe('How long bootstrap waits for the server (every cluster member GOOD) before giving up.'),
  })
  .prefault({});

export type SchemaConfig = z.infer<typeof schemaConfigSchema>;
