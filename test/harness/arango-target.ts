/**
 * The ArangoDB an integration test runs against: a real server when ARANGO_URL
 * is set (ARANGO_USERNAME / ARANGO_PASSWORD), otherwise a fresh simulator.
 * Tests that need fault injection check `target.sim` and say SKIP without it.
 */
import { type Simulator, type SimulatorOptions, startSimulator } from '@arangops/arangodb-sim';
import { type ArangoConfig, arangoConfigSchema } from '@arangops/core';

export interface ArangoTarget {
  url: string;
  username: string;
  password: string;
  /** Present when the target is the simulator. */
  sim?: Simulator;
  config(overrides?: Partial<ArangoConfig>): ArangoConfig;
  stop(): Promise<void>;
}

export const REAL_ARANGO_URL = process.env.ARANGO_URL;
const SIM_ROOT_PASSWORD = 'sim-root-password';

export async function arangoTarget(options: SimulatorOptions = {}): Promise<ArangoTarget> {
  const sim = REAL_ARANGO_URL
    ? undefined
    : await startSimulator({ auth: { users: { root: SIM_ROOT_PASSWORD } }, ...options });
  const url = REAL_ARANGO_URL ?? sim!.url;
  const username = REAL_ARANGO_URL ? (process.env.ARANGO_USERNAME ?? 'root') : 'root';
  const password = REAL_ARANGO_URL ? (process.env.ARANGO_PASSWORD ?? '') : SIM_ROOT_PASSWORD;
  return {
    url,
    username,
    password,
    ...(sim ? { sim } : {}),
    // Through the schema, so every setting not named here keeps its production default.
    config: (overrides = {}) =>
      arangoConfigSchema.parse({
        url: [url],
        username,
        password,
        timeoutMs: 5_000,
        retries: { max: 3, baseDelayMs: 5, maxDelayMs: 20 },
        ...overrides,
      }),
    stop: async () => {
      await sim?.stop();
    },
  };
}

/** For simulator-only tests: prints why a real-server run leaves them out. */
export function simOnly(target: ArangoTarget, what: string): target is ArangoTarget & { sim: Simulator } {
  if (target.sim) return true;
  console.warn(`SKIP (real ArangoDB at ${REAL_ARANGO_URL}): ${what} needs the simulator's fault injection`);
  return false;
}
