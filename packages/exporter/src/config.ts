import { z } from 'zod';

const milliseconds = (fallback: number) => z.number().int().positive().default(fallback);

const collectorSchema = (name: string, enabled: boolean, timeoutMs: number) =>
  z.strictObject({
    enabled: z.boolean().default(enabled).describe(`Run the ${name} collector on every scrape.`),
    timeoutMs: milliseconds(timeoutMs).describe(
      `Time budget of the ${name} collector per scrape; past it the collector reports failure alone.`,
    ),
  });

export const exporterConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0').describe('Address the exporter HTTP server binds to.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9101)
      .describe('Port of the exporter HTTP server (/metrics, /healthz, /readyz).'),
    cardinalityLimit: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe(
        'Maximum label sets per metric family and scrape; further label sets are dropped and counted in arangops_exporter_dropped_label_sets_total.',
      ),
    databases: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Databases whose collections and indexes are reported; empty means the database of the ArangoDB connection.',
      ),
    collectors: z
      .object({
        cluster: collectorSchema('cluster health', true, 5000).prefault({}),
        serverMetrics: collectorSchema('merged server metrics', false, 8000)
          .extend({
            agentEndpoints: z
              .array(
                z
                  .url({ protocol: /^https?$/ })
                  // As for arango.url: the agents are asked with arango.username/password, and a
                  // password in the URL would reach labels and logs.
                  .refine((u) => !new URL(u).username && !new URL(u).password, {
                    error:
                      'must not contain credentials: the agents are asked with arango.username and arango.password',
                  }),
              )
              .default([])
              .describe(
                'Agent base URLs (e.g. https://agent-0:8529) scraped directly, since a coordinator cannot proxy agent metrics.',
              ),
          })
          .prefault({}),
        collections: collectorSchema('collections and indexes', true, 5000).prefault({}),
        aql: collectorSchema('profile AQL metrics', true, 8000)
          .extend({
            metricsFile: z
              .string()
              .min(1)
              .optional()
              .describe("Path of the profile's metrics.yaml; unset means the default profile's file."),
          })
          .prefault({}),
        suite: collectorSchema('suite job results', true, 2000).prefault({}),
      })
      .prefault({})
      .describe('Per-collector switches and time budgets.'),
    tls: z
      .object({
        certFile: z.string().min(1).describe('PEM certificate file for serving /metrics over HTTPS.'),
        keyFile: z.string().min(1).describe('PEM private key file for serving /metrics over HTTPS.'),
      })
      .optional()
      .describe('Serve HTTPS instead of HTTP when set.'),
    basicAuth: z
      .object({
        username: z.string().min(1).describe('User name required on /metrics.'),
        password: z
          .string()
          .min(1)
          .optional()
          .meta({ secret: true })
          .describe('Password required on /metrics (prefer the environment variable or passwordFile).'),
        passwordFile: z
          .string()
          .min(1)
          .optional()
          .describe('File holding the /metrics password; trailing whitespace is ignored.'),
      })
      .refine((auth) => auth.password !== undefined || auth.passwordFile !== undefined, {
        message: 'basicAuth needs password or passwordFile',
      })
      .optional()
      .describe('Protect /metrics with HTTP basic auth when set.'),
  })
  .describe('The Prometheus exporter (arangops exporter).')
  .prefault({});

export type ExporterConfig = z.infer<typeof exporterConfigSchema>;
