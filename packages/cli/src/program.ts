import { InputError } from '@arangops/core';
import { Command, Option } from 'commander';
import { commands } from './commands/index.js';
import type { CliContext, GlobalOptions } from './context.js';
import { VERSION } from './version.js';

/**
 * `--set exporter.port=9200`: the text after `=` is converted by the setting's
 * type (a number, a boolean, `a,b` or `[a, b]` for a list), and a string
 * setting keeps it exactly. The value is never echoed in an error.
 */
function collectSetting(raw: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = raw.indexOf('=');
  // Without `=` the argument holds no value, so naming it shows no secret.
  if (eq < 0) throw new InputError(`expected path=value, got "${raw}"`, { field: '--set' });
  const path = raw.slice(0, eq).trim();
  if (!path) throw new InputError('expected path=value; the path is empty', { field: '--set' });
  return { ...previous, [path]: raw.slice(eq + 1) };
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
