// The config entry points, not the package roots: loading the config must not load the engines.
import { reportConfigSchema, verifyConfigSchema } from '@arangops/backup/config';
import { baseConfigSchema } from '@arangops/core';
import { exporterConfigSchema } from '@arangops/exporter/config';
import { schemaConfigSchema } from '@arangops/schema/settings';
import type { z } from 'zod';
import { jobsConfigSchema } from './jobs/config.js';

/** The whole configuration: core's shared sections plus one section per role. */
export const appConfigSchema = baseConfigSchema.extend({
  schema: schemaConfigSchema,
  exporter: exporterConfigSchema,
  verify: verifyConfigSchema,
  jobs: jobsConfigSchema,
  report: reportConfigSchema,
});

export type AppConfig = z.infer<typeof appConfigSchema>;
