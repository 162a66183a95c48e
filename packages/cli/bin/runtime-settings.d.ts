/** What a long-running command is started with: Node.js flags and environment variables. */
export interface RuntimeSettings {
  /** The command words, e.g. `['backup', 'run']`. */
  command: string[];
  flags: string[];
  env: Record<string, string>;
}

/** The settings of the command named by `words` (its command words, in order), if it has any. */
export declare function runtimeSettingsFor(words: readonly string[]): RuntimeSettings | undefined;
