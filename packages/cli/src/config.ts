import { verifyConfigSchema } from '@arangops/backup';
import { baseConfigSchema } from '@arangops/core';
import { exporterConfigSchema } from '@arangops/exporter';
import { schemaConfigSchema } from '@arangops/schema';
import type { z } from 'zod';

/** The whole configuration: core's shared sections plus one section per role. */
export const appConfigSchema = baseConfigSchema.extend({
  schema: schemaConfigSchema,
  exporter: exporterConfigSchema,
  verify: verifyConfigSchema,
});

export type AppConfig = z.infer<typeof appConfigSchema>;
