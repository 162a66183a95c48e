import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import type { Collector } from '../collector.js';
import { type MergeResult, mergeExpositions } from '../exposition/merge.js';
import { type SplitBody, splitExposition } from '../exposition/split.js';
import { SERVER_METRICS } from '../metric-names.js';
import type { AgentConnection } from '../types.js';
import { type HealthMember, loadClusterView, type MetricsRole } from './cluster-health.js';

/** Deprecated from 3.10 on but what 3.8+ and the coordinator's serverId proxy answer; removed in 4.0. */
export const SERVER_METRICS_PATH = '/_admin/metrics/v2';

type Fetched = { body: SplitBody } | { error: unknown };

interface Target {
  server: string;
  role: MetricsRole;
  result: Promise<Fetched>;
}

/** What a server's state between runs is kept under. */
const keyOf = (server: string, role: MetricsRole) => `${server} ${role}`;

// tcp:// and ssl:// are ArangoDB's spellings of http:// and https://.
const normaliseEndpoint = (endpoint: string) =>
  endpoint
    .replace(/^tcp:\/\//, 'http://')
    .replace(/^ssl:\/\//, 'https://')
    .replace(/\/+$/, '');

function agentId(endpoint: string, members: HealthMember[]): string {
  const wanted = normaliseEndpoint(endpoint);
  const agent = members.find(
    (m) => m.role === 'AGENT' && m.endpoint && normaliseEndpoint(m.endpoint) === wanted,
  );
  return agent?.id ?? endpoint;
}

/**
 * Every DB-Server's and coordinator's `/_admin/metrics/v2` through the coordinator's
 * `?serverId=` proxy, plus agents fetched directly, merged by family with `server`/`role`
 * labels injected where a server omits them. Names stay as ArangoDB emits them.
 */
export function serverMetricsCollector(options: {
  connection: ArangoConnection;
  agents: AgentConnection[];
  timeoutMs: number;
  cardinalityLimit: number;
  logger: Logger;
}): Collector {
  // The DB-Servers and coordinators of the last cluster view, and the agents' IDs in it.
  // Membership rarely changes, so their bodies are asked for, and read, together with the
  // health call that confirms them, not after it.
  let expected: Array<{ server: string; role: MetricsRole }> = [];
  let agentIds: string[] = options.agents.map((agent) => agent.endpoint);
  // Each server's last body: the next one usually differs only in values (see splitExposition).
  let previous = new Map<string, SplitBody>();
  let lastMerge: MergeResult | undefined;
  return {
    name: 'server_metrics',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      // As bytes: the page is made of them, and decoding would only cost (the HELP texts say "μs").
      const fetchBody = (connection: ArangoConnection, search?: Record<string, string>) =>
        connection
          .database()
          .request({
            pathname: SERVER_METRICS_PATH,
            timeout: context.timeoutMs,
            expectBinary: true,
            ...(search ? { search } : {}),
          })
          .then(async (body: unknown) => {
            if (!(body instanceof Blob)) throw new Error('metrics answer without a body');
            return new Uint8Array(await body.arrayBuffer());
          });
      // Each body is split (and relabelled) as soon as it is in, while the others are still on the way.
      const fetchSplit = (server: string, role: MetricsRole, body: Promise<Uint8Array>): Target => ({
        server,
        role,
        result: body.then(
          (bytes): Fetched => ({
            body: splitExposition(bytes, { server, role }, previous.get(keyOf(server, role))),
          }),
          (error: unknown): Fetched => ({ error }),
        ),
      });
      const viaCoordinator = (server: string, role: MetricsRole) =>
        fetchSplit(server, role, fetchBody(options.connection, { serverId: server }));
      const agentBodies = options.agents.map((agent) => fetchBody(agent.connection));
      const early = new Map([
        ...expected.map(({ server, role }) => [keyOf(server, role), viaCoordinator(server, role)] as const),
        ...agentIds.map(
          (server, i) =>
            [
              keyOf(server, 'AGENT'),
              fetchSplit(server, 'AGENT', agentBodies[i] as Promise<Uint8Array>),
            ] as const,
        ),
      ]);
      const view = await loadClusterView(context, options.connection);
      expected = view.members.flatMap((m) => (m.role === 'AGENT' ? [] : [{ server: m.id, role: m.role }]));
      agentIds = options.agents.map((agent) => agentId(agent.endpoint, view.members));
      const targets: Target[] =
        view.role === 'COORDINATOR'
          ? expected.map(({ server, role }) => early.get(keyOf(server, role)) ?? viaCoordinator(server, role))
          : [
              fetchSplit(
                options.connection.endpoints[0] ?? view.role,
                view.role,
                fetchBody(options.connection),
              ),
            ];
      agentIds.forEach((server, i) => {
        targets.push(
          early.get(keyOf(server, 'AGENT')) ??
            fetchSplit(server, 'AGENT', agentBodies[i] as Promise<Uint8Array>),
        );
      });

      const up = context.family(SERVER_METRICS.serverUp);
      const bodies = new Map<string, SplitBody>();
      const fetched = await Promise.all(
        targets.map(async ({ server, role, result }) => {
          const outcome = await result;
          up.set({ server, role }, 'body' in outcome ? 1 : 0);
          if ('body' in outcome) {
            bodies.set(keyOf(server, role), outcome.body);
            return outcome.body;
          }
          options.logger.warn(
            { server, err: toArangopsError(outcome.error).message },
            'server metrics fetch failed',
          );
          return undefined;
        }),
      ).then((all) => all.filter((body) => body !== undefined));
      // A server that failed this time keeps its last body; one that left the cluster is forgotten.
      previous = new Map(
        targets.flatMap(({ server, role }) => {
          const key = keyOf(server, role);
          const body = bodies.get(key) ?? previous.get(key);
          return body ? [[key, body] as const] : [];
        }),
      );
      if (fetched.length === 0) throw new Error(`no server answered ${SERVER_METRICS_PATH}`);
      const merged = mergeExpositions(fetched, { limit: options.cardinalityLimit }, lastMerge);
      lastMerge = merged;
      for (const [metric, count] of merged.dropped) context.countDropped(metric, count);
      context.addFamilies(merged.families);
    },
  };
}
