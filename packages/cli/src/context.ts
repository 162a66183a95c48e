import {
  type ArangoConnection,
  createArangoConnection,
  createLogger,
  type Logger,
  loadConfig,
  type RunRecordStore,
  registerConfigSecrets,
  scrubSecrets,
} from '@arangops/core';
import { type AppConfig, appConfigSchema } from './config.js';
import { runRecordStores } from './run-record-stores.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  logLevel?: string;
  /** `--set path=value`, any setting, as text. */
  set?: Record<string, string>;
}

export interface Output {
  readonly json: boolean;
  /** Human output on stdout, scrubbed of secrets. */
  print(text: string): void;
  printJson(value: unknown): void;
}

/** What every command gets: lazily built config, logger, connection and stores. */
export interface CliContext {
  config(): AppConfig;
  logger(): Logger;
  connection(): ArangoConnection;
  runRecords(): RunRecordStore;
  readonly output: Output;
  /** The environment the CLI was started with (tests pass their own). */
  readonly env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
  /** Releases what was opened (connections); called once when the command is done. */
  close(): void;
}

export interface ContextIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY?: boolean;
}

export function createCliContext(
  globals: () => GlobalOptions,
  io: ContextIo,
  setExitCode: (code: number) => void,
): CliContext {
  const { env } = io;
  const write = io.stdout;
  let config: AppConfig | undefined;
  let logger: Logger | undefined;
  let connection: ArangoConnection | undefined;
  let runRecords: ReturnType<typeof runRecordStores> | undefined;

  const ctx: CliContext = {
    config() {
      if (!config) {
        const g = globals();
        const flags: Record<string, unknown> = {};
        if (g.logLevel) flags['log.level'] = g.logLevel;
        config = loadConfig(appConfigSchema, { file: g.config, env, settings: g.set, flags });
        registerConfigSecrets(appConfigSchema, config);
      }
      return config;
    },
    logger() {
      // stdout carries the command's output (a report, --json, a metrics page), so logs go to stderr:
      // JSON lines for a log collector, readable lines between the human output on a terminal.
      logger ??= createLogger({
        level: ctx.config().log.level,
        destination: { write: io.stderr },
        format: io.stderrIsTTY ? 'pretty' : 'json',
        color: io.stderrIsTTY && !env.NO_COLOR,
      });
      return logger;
    },
    connection() {
      connection ??= createArangoConnection(ctx.config().arango, { logger: ctx.logger() });
      return connection;
    },
    runRecords() {
      // One per process: its cache of the store's records lives between scrapes.
      runRecords ??= runRecordStores(ctx);
      return runRecords.records;
    },
    output: {
      get json() {
        return globals().json === true;
      },
      print: (text) => write(scrubSecrets(text.endsWith('\n') ? text : `${text}\n`)),
      printJson: (value) => write(scrubSecrets(`${JSON.stringify(value, null, 2)}\n`)),
    },
    env,
    setExitCode,
    close() {
      connection?.close();
      connection = undefined;
      runRecords?.close();
      runRecords = undefined;
    },
  };
  return ctx;
}
