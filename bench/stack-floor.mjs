/**
 * The exporter's stack without the exporter: the libraries `arangops exporter` is built on
 * (express, prom-client with its process metrics, arangojs over fetch, zod, pino), each doing the
 * least the exporter needs of it, and no arangops code. Each scrape asks ArangoDB its version
 * and renders the process metrics. bench/exporter.ts runs it under the exporter's runtime
 * settings and reads its memory as it reads the exporter's: what no code of ours can go below.
 *
 * Plain JavaScript, run by node alone: a TypeScript loader would be counted in its memory.
 *   node bench/stack-floor.mjs <arango url> <password>    (prints the URL it listens on)
 */
import { Database } from 'arangojs';
import express from 'express';
import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { z } from 'zod';

const settings = z
  .object({ url: z.url(), password: z.string().min(1) })
  .parse({ url: process.argv[2], password: process.argv[3] });
const logger = pino({ name: 'stack-floor' });
const db = new Database({ url: settings.url, auth: { username: 'root', password: settings.password } });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const app = express();
app.get('/metrics', async (_req, res) => {
  await db.version();
  res.type(registry.contentType).send(await registry.metrics());
});
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  logger.info({ url: `http://127.0.0.1:${port}` }, 'listening');
});
