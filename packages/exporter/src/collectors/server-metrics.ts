import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import type { Collector } from '../collector.js';
import { decodeLines } from '../exposition/decode.js';
import { mergeExpositions } from '../exposition/merge.js';
import { type SplitFamily, splitExposition } from '../exposition/split.js';
import { SERVER_METRICS } from '../metric-names.js';
import type { AgentConnection, Labels } from '../types.js';
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
      // As bytes: arangojs would decode the text in one piece, the slow way for ArangoDB's bodies (see decodeLines).
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
            return decodeLines(new Uint8Array(await body.arrayBuffer()));
          });
      // Each body is split (and relabelled) as soon as it is in, while the others are still on the way.
      const split = (body: Promise<string[]>, inject: Labels): Promise<Fetched> =>
        body.then(
          (text): Fetched => ({ families: splitExposition(text, inject) }),
          (error: unknown): Fetched => ({ error }),
        );
      // Agents need the cluster view only for their labels, so their bodies are on the way meanwhile.
      const agentBodies = options.agents.map((agent) => {
        const body = fetchBody(agent.connection);
        body.catch(() => {});
        return body;
      });
      const view = await loadClusterView(context, options.connection);
      const target = (server: string, role: MetricsRole, body: Promise<string[]>): Target => ({
        server,
        role,
        result: split(body, { server, role }),
      });
      const targets: Target[] =
        view.role === 'COORDINATOR'
          ? view.members
              .filter((m) => m.role !== 'AGENT')
              .map((m) => target(m.id, m.role, fetchBody(options.connection, { serverId: m.id })))
          : [target(options.connection.endpoints[0] ?? view.role, view.role, fetchBody(options.connection))];
      options.agents.forEach((agent, i) => {
        targets.push(
          target(agentId(agent.endpoint, view.members), 'AGENT', agentBodies[i] as Promise<string[]>),
        );
      });

      const up = context.family(SERVER_METRICS.serverUp);
      const fetched = await Promise.all(
        targets.map(async ({ server, role, result }) => {
          const outcome = await result;
          up.set({ server, role }, 'families' in outcome ? 1 : 0);
          if ('families' in outcome) return outcome.families;
          options.logger.warn(
            { server, err: toArangopsError(outcome.error).message },
            'server metrics fetch failed',
          );
          return undefined;
        }),
      ).then((all) => all.filter((families) => families !== undefined));
      if (fetched.length === 0) throw new Error(`no server answered ${SERVER_METRICS_PATH}`);
      const merged = mergeExpositions(fetched, { limit: options.cardinalityLimit });
      for (const [metric, count] of merged.dropped) context.countDropped(metric, count);
      context.addFamilies(merged.families);
    },
  };
}
