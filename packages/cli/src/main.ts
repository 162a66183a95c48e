/**
 * The single top-level catch (changesets style): every error becomes an exit
 * code and a one-line message on stderr (a JSON object on stdout with --json).
 * A user mistake never shows a stack trace unless --verbose asks for it.
 */

import {
  EXIT_CODES,
  isArangopsError,
  scrubSecrets,
  startTelemetry,
  toArangopsError,
  withSpan,
} from '@arangops/core';
import { type Command, CommanderError } from 'commander';
import { createCliContext } from './context.js';
import { buildProgram, globalsOf } from './program.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: log lines are then written for a person, not as JSON. */
  stderrIsTTY?: boolean;
  /** Width of help text; a terminal's own width by default. */
  helpWidth?: number;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  let program: ReturnType<typeof buildProgram> | undefined;
  const ctx = createCliContext(
    () => (program ? globalsOf(program) : {}),
    io,
    (code) => {
      exitCode = code;
    },
  );
  program = buildProgram(ctx);
  // addCommand() does not pass these settings down, so every command gets them.
  const configure = (cmd: Command) => {
    cmd.exitOverride().configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      ...(io.helpWidth ? { getOutHelpWidth: () => io.helpWidth!, getErrHelpWidth: () => io.helpWidth! } : {}),
    });
    cmd.commands.forEach(configure);
  };
  configure(program);

  const telemetry = await startTelemetry('arangops');
  try {
    // One trace per run, named after the command once commander has found it.
    await withSpan('arangops', {}, async (span) => {
      program.hook('preAction', (_root, action) => {
        span.updateName(`arangops ${action.name()}`);
      });
      await program.parseAsync(argv, { from: 'user' }).catch((e: unknown) => {
        if (!(e instanceof CommanderError && e.exitCode === 0)) throw e;
      });
      span.setAttribute('arangops.exit_code', exitCode);
    });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed help, the version or its own usage message already.
      return e.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.input;
    }
    const err = toArangopsError(e);
    const globals = globalsOf(program);
    if (globals.json) {
      const issues = 'issues' in err ? err.issues : undefined;
      io.stdout(
        scrubSecrets(
          `${JSON.stringify({ error: { name: err.name, message: err.message, exitCode: err.exitCode, issues } }, null, 2)}\n`,
        ),
      );
    } else {
      const showStack = globals.verbose || !isArangopsError(e) || err.exitCode === EXIT_CODES.internal;
      const text = showStack ? (err.stack ?? err.message) : err.message;
      io.stderr(scrubSecrets(`arangops: ${text}\n`));
      if (err.exitCode === EXIT_CODES.internal)
        io.stderr('arangops: this is a bug; please report it with the output above.\n');
    }
    return err.exitCode;
  } finally {
    ctx.close();
    await telemetry.shutdown();
  }
}
