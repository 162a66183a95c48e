import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { backupCommand } from './backup.js';
import { bootstrapCommand } from './bootstrap.js';
import { configCommand } from './config.js';
import { demoCommand } from './demo.js';
import { driftCommand } from './drift.js';
import { exporterCommand } from './exporter.js';
import { jobsCommand } from './jobs.js';
import { reportCommand } from './report.js';
import { simCommand } from './sim.js';
import { verifyCommand } from './verify.js';

/**
 * Every subcommand, in the order `arangops --help` lists them. One line per command.
 *
 * Adding a command: its module declares the commander Command (options, help)
 * with static imports of commander, `@arangops/core` and light entry points
 * only (`@arangops/schema/settings`, `@arangops/exporter/config`, types), and
 * loads its engine in the action: `const { run } = await import('@arangops/…')`.
 * The AWS SDKs, the simulator and the schema and exporter engines are never
 * imported at the top of a command module; test/cli-lazy-loading.test.ts
 * checks it. Its config section goes into ../config.ts from a light entry
 * point, as a strictObject (the loader refuses unknown keys anyway).
 */
export const commands: ((ctx: CliContext) => Command)[] = [
  demoCommand,
  configCommand,
  exporterCommand,
  driftCommand,
  bootstrapCommand,
  backupCommand,
  verifyCommand,
  jobsCommand,
  reportCommand,
  simCommand,
];
