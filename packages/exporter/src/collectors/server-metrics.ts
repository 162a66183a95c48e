import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import { type Collector, requestTimeoutMs } from '../collector.js';
import { type MergeResult, mergeExpositions } from '../exposition/merge.js';
import { type SplitBody, splitExposition } from '../exposition/split.js';
import { SERVER_METRICS } from '../metric-names.js';
import type { AgentConnection } from '../types.js';
import { type HealthMember, loadClusterView, type MetricsRole } from './cluster-health.js';

/** Deprecated from 3.10 on but what 3.8+ and the coordinator's serverId proxy answer; removed in 4.0. */
export const SERVER_METRICS_PATH = '/_admin/metrics/v2';

type Fetched = { body: SplitBody } | { error: unknown };

/** A server whose metrics are fetched, with the short name its 3.11 engine lines lack. */
interface Member {
  server: string;
  role: MetricsRole;
  shortname?: string | undefined;
}

interface Target extends Member {
  result: Promise<Fetched>;
}

/** What a server's state between runs is kept under: its template is only valid for the labels it was split with. */
const keyOf = ({ server, role, shortname }: Member) => `${server} ${role} ${shortname ?? ''}`;

// tcp:// and ssl:// are ArangoDB's spellings of http:// and https://.
const normaliseEndpoint = (endpoint: string) =>
  endpoint
    .replace(/^tcp:\/\//, 'http://')
    .replace(/^ssl:\/\//, 'https://')
    .replace(/\/+$/, '');

/** An agent the health answer does not list is named by its host and port (never its credentials or path). */
const endpointHost = (endpoint: string) => (URL.canParse(endpoint) ? new URL(endpoint).host : endpoint);

/** The `server` label of a single server, which has no member ID. */
const SINGLE_SERVER = 'SINGLE';

function agentOf(endpoint: string, members: HealthMember[]): { server: string; shortname?: string } {
  const wanted = normaliseEndpoint(endpoint);
  const agent = members.find(
    (m) => m.role === 'AGENT' && m.endpoint && normaliseEndpoint(m.endpoint) === wanted,
  );
  return agent ? { server: agent.id, shortname: agent.shortName } : { server: endpointHost(endpoint) };
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
  let expected: Member[] = [];
  let agentMembers: Member[] = options.agents.map((agent) => ({
    server: endpointHost(agent.endpoint),
    role: 'AGENT',
  }));
  // Each server's last body: the next one usually differs only in values (see splitExposition).
  let previous = new Map<string, SplitBody>();
  let lastMerge: MergeResult | undefined;
  return {
    name: 'server_metrics',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      // As bytes, as they came off the socket: the page is made of them, and decoding would only
      // cost (the HELP texts say "μs"). A target that never answers is dropped alone, not the
      // collector with every other server.
      const fetchBody = (connection: ArangoConnection, search?: Record<string, string>) =>
        connection.requestBytes({
          pathname: SERVER_METRICS_PATH,
          timeout: requestTimeoutMs(context.timeoutMs),
          ...(search ? { search } : {}),
        });
      // Each body is split (and relabelled) as soon as it is in, while the others are still on the way.
      const fetchSplit = ({ server, role, shortname }: Member, body: Promise<Uint8Array>): Target => ({
        server,
        role,
        shortname,
        result: body.then(
          (bytes): Fetched => ({
            body: splitExposition(
              bytes,
              // 3.11 writes its rocksdb_* lines without any label: the health call names them.
              shortname ? { server, shortname, role } : { server, role },
              previous.get(keyOf({ server, role, shortname })),
            ),
          }),
          (error: unknown): Fetched => ({ error }),
        ),
      });
      const viaCoordinator = (member: Member) =>
        fetchSplit(member, fetchBody(options.connection, { serverId: member.server }));
      const agentBodies = options.agents.map((agent) => fetchBody(agent.connection));
      const early = new Map([
        ...expected.map((member) => [keyOf(member), viaCoordinator(member)] as const),
        ...agentMembers.map(
          (member, i) => [keyOf(member), fetchSplit(member, agentBodies[i] as Promise<Uint8Array>)] as const,
        ),
      ]);
      const view = await loadClusterView(context, options.connection);
      const nextExpected: Member[] = view.members.flatMap((m) =>
        m.role === 'AGENT' ? [] : [{ server: m.id, role: m.role, shortname: m.shortName }],
      );
      const nextAgents = options.agents.map(
        (agent): Member => ({
          ...agentOf(agent.endpoint, view.members),
          role: 'AGENT',
        }),
      );
      const targets: Target[] =
        view.role === 'COORDINATOR'
          ? nextExpected.map((member) => early.get(keyOf(member)) ?? viaCoordinator(member))
          : [fetchSplit({ server: SINGLE_SERVER, role: view.role }, fetchBody(options.connection))];
      nextAgents.forEach((member, i) => {
        targets.push(early.get(keyOf(member)) ?? fetchSplit(member, agentBodies[i] as Promise<Uint8Array>));
      });
      expected = nextExpected;
      agentMembers = nextAgents;

      const up = context.family(SERVER_METRICS.serverUp);
      const bodies = new Map<string, SplitBody>();
      const fetched = await Promise.all(
        targets.map(async (target) => {
          const { server, role } = target;
          const outcome = await target.result;
          up.set({ server, role }, 'body' in outcome ? 1 : 0);
          if ('body' in outcome) {
            bodies.set(keyOf(target), outcome.body);
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
        targets.flatMap((target) => {
          const key = keyOf(target);
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
