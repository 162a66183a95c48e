import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { backupCommand } from './backup.js';
import { bootstrapCommand } from './bootstrap.js';
import { configCommand } from './config.js';
import { demoCommand } from './demo.js';
import { driftCommand } from './drift.js';
import { exporterCommand } from './exporter.js';
import { simCommand } from './sim.js';
import { verifyCommand } from './verify.js';

/** Every subcommand, in the order `arangops --help` lists them. One line per command. */
export const commands: ((ctx: CliContext) => Command)[] = [
  demoCommand,
  configCommand,
  exporterCommand,
  driftCommand,
  bootstrapCommand,
  backupCommand,
  verifyCommand,
  simCommand,
];
