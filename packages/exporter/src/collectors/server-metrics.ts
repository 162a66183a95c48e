import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import type { Collector } from '../collector.js';
import { mergeExpositions, type SplitFamily, splitExposition } from '../exposition/merge.js';
import { SERVER_METRICS } from '../metric-names.js';
import type { AgentConnection } from '../types.js';
import { type HealthMember, loadClusterView, type MetricsRole } from './cluster-health.js';

/** Deprecated from 3.10 on but what 3.8+ and the coordinator's serverId proxy answer; removed in 4.0. */
export const SERVER_METRICS_PATH = '/_admin/metrics/v2';

type Fetched = { families: SplitFamily[] } | { error: unknown };

interface Target {
  server: string;
  role: MetricsRole;
  result: Promise<Fetched>;
}

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
  return {
    name: 'server_metrics',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const fetchFamilies = (connection: ArangoConnection, search?: Record<string, string>) =>
        connection
          .database()
          .request({
            pathname: SERVER_METRICS_PATH,
            timeout: context.timeoutMs,
            ...(search ? { search } : {}),
          })
          .then((body: unknown) => {
            if (typeof body !== 'string') throw new Error('metrics answer is not text');
            return splitExposition(body);
          })
          .then(
            (families): Fetched => ({ families }),
            (error: unknown): Fetched => ({ error }),
          );
      // Agents need the cluster view only for their labels, so their bodies are on the way meanwhile.
      const agentBodies = options.agents.map((agent) => fetchFamilies(agent.connection));
      const view = await loadClusterView(context, options.connection);
      const targets: Target[] =
        view.role === 'COORDINATOR'
          ? view.members
              .filter((m) => m.role !== 'AGENT')
              .map((m) => ({
                server: m.id,
                role: m.role,
                result: fetchFamilies(options.connection, { serverId: m.id }),
              }))
          : [
              {
                server: options.connection.endpoints[0] ?? view.role,
                role: view.role,
                result: fetchFamilies(options.connection),
              },
            ];
      options.agents.forEach((agent, i) => {
        targets.push({
          server: agentId(agent.endpoint, view.members),
          role: 'AGENT',
          result: agentBodies[i] as Promise<Fetched>,
        });
      });

      const up = context.family(SERVER_METRICS.serverUp);
      const bodies = await Promise.all(
        targets.map(async ({ server, role, result }) => {
          const fetched = await result;
          up.set({ server, role }, 'families' in fetched ? 1 : 0);
          if ('families' in fetched) return { families: fetched.families, inject: { server, role } };
          options.logger.warn(
            { server, err: toArangopsError(fetched.error).message },
            'server metrics fetch failed',
          );
          return undefined;
        }),
      );
      const fetched = bodies.filter((b) => b !== undefined);
      if (fetched.length === 0) throw new Error(`no server answered ${SERVER_METRICS_PATH}`);
      const merged = mergeExpositions(fetched, { limit: options.cardinalityLimit });
      for (const [metric, count] of merged.dropped) context.countDropped(metric, count);
      context.addFamilies(merged.families);
    },
  };
}
