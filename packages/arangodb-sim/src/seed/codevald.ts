import { Rng } from './prng.js';

/** Sizes and seed of the CodeValdCortex data set (shared/design/codevald-arangodb-infrastructure.md §2). */
export interface CodeValdSizes {
  agents: number;
  executions: number;
  communications: number;
  seed: number;
}

export const DEFAULT_SIZES: CodeValdSizes = { agents: 200, executions: 1000, communications: 2000, seed: 42 };

const AGENT_TYPES = ['data-processor', 'coordinator', 'monitor', 'transformer', 'scheduler'] as const;
const AGENT_STATUSES = ['active', 'running', 'running', 'running', 'inactive', 'stopped', 'error'] as const;
const WORKFLOWS = [
  'workflow-data-pipeline',
  'workflow-report',
  'workflow-ingest',
  'workflow-cleanup',
] as const;
const MESSAGE_TYPES = ['coordination', 'heartbeat', 'task_delegation', 'result', 'alert'] as const;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const agentKey = (i: number): string => `agent-${String(i).padStart(6, '0')}`;

/**
 * Agents. Every 25th agent has a heartbeat (`metrics.lastUpdated`) over an hour old while claiming
 * to run, so "stale agent" checks find something.
 */
export function* agents(sizes: CodeValdSizes, now: number): Generator<Record<string, unknown>> {
  const rng = new Rng(sizes.seed);
  for (let i = 0; i < sizes.agents; i++) {
    const stale = i % 25 === 7;
    const status = stale ? 'running' : rng.pick(AGENT_STATUSES);
    const createdAt = now - rng.int(1, 90) * DAY;
    const lastUpdated = stale ? now - rng.int(2, 48) * HOUR : now - rng.int(5, 120) * 1000;
    const type = rng.pick(AGENT_TYPES);
    yield {
      _key: agentKey(i),
      name: `${type}-agent-${String(i).padStart(3, '0')}`,
      type,
      status,
      configuration: {
        resourceLimits: { cpu: `${rng.pick([250, 500, 1000, 2000])}m`, memory: `${rng.pick([1, 2, 4])}Gi` },
        environmentVariables: {
          LOG_LEVEL: rng.pick(['info', 'debug', 'warn']),
          BATCH_SIZE: String(rng.pick([100, 500, 1000])),
        },
        securityContext: { runAsUser: 1000, runAsGroup: 2000 },
      },
      deployment: {
        clusterId: 'production-cluster',
        namespace: 'pweza-core-agents',
        podName: `agent-${i}-pod`,
        image: `pweza/agent:v1.${rng.int(0, 3)}.0`,
      },
      metrics: {
        cpuUsage: Math.round(rng.float() * 100) / 100,
        memoryUsage: Math.round(rng.float() * 100) / 100,
        throughput: Math.round(rng.float() * 20000) / 10,
        errorRate:
          status === 'error' ? Math.round(rng.float() * 200) / 1000 : Math.round(rng.float() * 5) / 1000,
        lastUpdated: iso(lastUpdated),
      },
      state: {
        version: rng.int(1, 500),
        lastModified: iso(lastUpdated),
        data: { processingQueue: rng.int(0, 500), activeConnections: rng.int(0, 20), customState: {} },
      },
      createdAt: iso(createdAt),
      updatedAt: iso(lastUpdated),
    };
  }
}

/** Executions. Every 40th runs for over six hours; the rest mostly completed, some failed or pending. */
export function* executions(sizes: CodeValdSizes, now: number): Generator<Record<string, unknown>> {
  const rng = new Rng(sizes.seed + 1);
  for (let i = 0; i < sizes.executions; i++) {
    const long = i % 40 === 3;
    const status = long
      ? 'running'
      : rng.pick(['completed', 'completed', 'completed', 'running', 'failed', 'pending'] as const);
    const startTime = long ? now - rng.int(6, 30) * HOUR : now - rng.int(1, 14 * 24 * 60) * MIN;
    const duration = status === 'completed' || status === 'failed' ? rng.int(30, 3600) * 1000 : null;
    const taskCount = rng.int(2, 6);
    const tasks = [];
    let completed = 0;
    let failed = 0;
    for (let t = 0; t < taskCount; t++) {
      const taskStatus =
        status === 'completed'
          ? 'completed'
          : status === 'pending'
            ? 'pending'
            : t < taskCount / 2
              ? 'completed'
              : status === 'failed' && t === Math.ceil(taskCount / 2)
                ? 'failed'
                : status === 'running' && t === Math.ceil(taskCount / 2)
                  ? 'running'
                  : 'pending';
      if (taskStatus === 'completed') completed++;
      if (taskStatus === 'failed') failed++;
      tasks.push({
        id: `task-${t}`,
        status: taskStatus,
        agentId: agentKey(rng.int(0, Math.max(0, sizes.agents - 1))),
        startTime: taskStatus === 'pending' ? null : iso(startTime + t * MIN),
        endTime:
          taskStatus === 'completed' || taskStatus === 'failed' ? iso(startTime + (t + 1) * MIN) : null,
      });
    }
    yield {
      _key: `exec-${String(i).padStart(7, '0')}`,
      workflowId: rng.pick(WORKFLOWS),
      status,
      startTime: status === 'pending' ? null : iso(startTime),
      endTime: duration === null ? null : iso(startTime + duration),
      duration,
      context: {
        inputData: `/data/batch-${i}`,
        outputLocation: `/results/batch-${i}`,
        batchSize: rng.pick([1000, 10000]),
      },
      tasks,
      metrics: {
        totalTasks: taskCount,
        completedTasks: completed,
        failedTasks: failed,
        totalAgents: rng.int(1, 5),
      },
    };
  }
}

/**
 * Communications between agents (edges). `ttl` is an absolute ISO expiry per the design; every
 * 50th message is already expired and every 20th is still pending or failed.
 */
export function* communications(sizes: CodeValdSizes, now: number): Generator<Record<string, unknown>> {
  const rng = new Rng(sizes.seed + 2);
  const n = Math.max(1, sizes.agents);
  for (let i = 0; i < sizes.communications; i++) {
    const from = rng.int(0, n - 1);
    let to = rng.int(0, n - 1);
    if (to === from) to = (to + 1) % n;
    const timestamp = now - rng.int(1, 6 * 24 * 60) * MIN;
    const expired = i % 50 === 11;
    const undelivered = i % 20 === 5;
    const status = expired ? 'expired' : undelivered ? rng.pick(['pending', 'failed'] as const) : 'delivered';
    yield {
      _key: `comm-${String(i).padStart(7, '0')}`,
      _from: `agents/${agentKey(from)}`,
      _to: `agents/${agentKey(to)}`,
      messageType: rng.pick(MESSAGE_TYPES),
      timestamp: iso(timestamp),
      payload: {
        action: 'task_delegation',
        taskId: `task-${rng.int(0, 999)}`,
        priority: rng.pick(['low', 'normal', 'high']),
      },
      status,
      deliveryTime: status === 'delivered' ? iso(timestamp + rng.int(50, 2000)) : null,
      ttl: iso(expired ? now - rng.int(1, 48) * HOUR : timestamp + 7 * DAY),
    };
  }
}

/** The design's index declarations, as the Go bootstrap creates them. */
export const DESIGN_INDEXES: Record<string, Record<string, unknown>[]> = {
  agents: [
    { type: 'hash', fields: ['status'] },
    { type: 'hash', fields: ['type'] },
    { type: 'skiplist', fields: ['createdAt'] },
    { type: 'geo', fields: ['deployment.location'] },
  ],
  workflow_executions: [
    { type: 'hash', fields: ['workflowId'] },
    { type: 'hash', fields: ['status'] },
    { type: 'skiplist', fields: ['startTime'] },
  ],
  agent_communications: [
    { type: 'skiplist', fields: ['timestamp'] },
    { type: 'ttl', fields: ['ttl'], expireAfter: 0 },
  ],
};
