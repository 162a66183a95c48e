/** What a long-running command is started with: Node.js flags and environment variables. */
export interface RuntimeSettings {
  /** The command words, e.g. `['backup', 'run']`. */
  command: string[];
  flags: string[];
  env: Record<string, string>;
}

export declare const RUNTIME_SETTINGS: RuntimeSettings[];
