#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';
import type { DeploymentMode } from './types.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8529' },
    host: { type: 'string', default: '127.0.0.1' },
    mode: { type: 'string', default: 'single' },
    version: { type: 'string', default: '3.12.10' },
    seed: { type: 'boolean', default: false },
    'root-password': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: arangops-sim [--port 8529] [--host 127.0.0.1] [--mode single|cluster] [--version 3.12.10] [--seed] [--root-password <pw>]',
  );
  process.exit(0);
}

const mode = values.mode as DeploymentMode;
if (mode !== 'single' && mode !== 'cluster') {
  console.error(`--mode must be single or cluster, got ${values.mode}`);
  process.exit(2);
}

const password = values['root-password'] ?? process.env.ARANGO_ROOT_PASSWORD;
const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  mode,
  version: values.version,
  seed: values.seed,
  auth: password === undefined ? false : { users: { root: password } },
});
console.log(`arangops-sim ${sim.version} (${sim.mode}) listening on ${sim.url}`);

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`received ${signal}, stopping`);
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
