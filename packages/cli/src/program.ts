import { InputError } from '@arangops/core';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { commands } from './commands/index.js';
import type { CliContext, GlobalOptions } from './context.js';
import { VERSION } from './version.js';

/** `--set exporter.port=9200`: the value is read as YAML, so numbers, booleans and `[a, b]` lists work. */
function collectSetting(raw: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InputError(`expected path=value, got "${raw}"`, { field: '--set' });
  return { ...previous, [raw.slice(0, eq).trim()]: parseYaml(raw.slice(eq + 1)) as unknown };
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('arangops')
    .description('Operations suite for ArangoDB clusters: Prometheus exporter, schema drift and bootstrap.')
    .version(VERSION, '-V, --version')
    .option('-c, --config <file>', 'YAML config file (flags > environment > file)')
    .option(
      '--set <path=value>',
      'set any config value, e.g. --set exporter.port=9200 (repeatable)',
      collectSetting,
    )
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .option('--json', 'machine-readable output (and errors) as JSON on stdout')
    .option('--verbose', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)');
  for (const make of commands) program.addCommand(make(ctx));
  // Global options work before or after the command name, and each command's help lists them.
  const showGlobals = (cmd: Command) => {
    cmd.configureHelp({ showGlobalOptions: true });
    cmd.commands.forEach(showGlobals);
  };
  showGlobals(program);
  return program;
}

export function globalsOf(program: Command): GlobalOptions {
  return program.opts<GlobalOptions>();
}
