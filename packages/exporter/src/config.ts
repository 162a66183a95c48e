import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  fileProblem,
  inputFile,
  milliseconds,
  notBlank,
  pemCertificateProblem,
  privateKeyProblem,
} from '@arangops/core';
import { z } from 'zod';

const collectorSchema = (name: string, enabled: boolean, timeoutMs: number) =>
  z.strictObject({
    enabled: z.boolean().default(enabled).describe(`Run the ${name} collector on every scrape.`),
    timeoutMs: milliseconds(timeoutMs).describe(
      `Time budget of the ${name} collector per scrape; past it the collector reports failure alone.`,
    ),
  });

export const exporterConfigSchema = z
  .strictObject({
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
      .strictObject({
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
      .strictObject({
        certFile: inputFile(pemCertificateProblem).describe(
          'PEM certificate file for serving /metrics over HTTPS.',
        ),
        keyFile: inputFile(privateKeyProblem).describe(
          'PEM private key file for serving /metrics over HTTPS.',
        ),
      })
      .superRefine((tls, ctx) => {
        const message = keyMismatch(tls.certFile, tls.keyFile);
        if (message) ctx.addIssue({ code: 'custom', message, path: ['keyFile'] });
      })
      .optional()
      .describe('Serve HTTPS instead of HTTP when set.'),
    basicAuth: z
      .strictObject({
        username: z.string().min(1).describe('User name required on /metrics.'),
        password: z
          .string()
          .min(1)
          .optional()
          .meta({ secret: true })
          .describe('Password required on /metrics (prefer the environment variable or passwordFile).'),
        passwordFile: inputFile(notBlank)
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

/** A key that does not belong to the certificate fails every TLS handshake; say so at start-up instead. */
function keyMismatch(certFile: string, keyFile: string): string | undefined {
  // A file problem is already reported on its own field.
  if (fileProblem(certFile, pemCertificateProblem) || fileProblem(keyFile, privateKeyProblem))
    return undefined;
  const cert = new X509Certificate(readFileSync(certFile));
  return cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))
    ? undefined
    : `${keyFile}: the private key does not match the certificate ${certFile}`;
}
