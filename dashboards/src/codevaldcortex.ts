/**
 * CodeValdCortex agents & workflows, on the profile metrics of
 * packages/schema/profiles/codevaldcortex/metrics.yaml (raw timestamps and sums; the
 * thresholds live in the alert rules) and the exporter's collection figures.
 */
import { type DashboardDefinition, dashboard, row, sel, stat, timeseries } from './kit.js';

const age = (metric: string, ...extra: string[]) => `time() - ${sel(metric, ...extra)}`;

/** Mean (the sum over running agents divided by their number) and highest value of an agent figure, per type. */
const meanAndMax = (title: string, what: string, figure: string) =>
  timeseries({
    title,
    description: `Mean and highest ${what}, over the running agents of each type.`,
    unit: 'percentunit',
    queries: [
      [
        `sum by (type) (${sel(`codevaldcortex_agent_${figure}_sum_ratio`)}) / sum by (type) (${sel('codevaldcortex_agents', 'status="running"')})`,
        'mean {{type}}',
      ],
      [`max by (type) (${sel(`codevaldcortex_agent_${figure}_max_ratio`)})`, 'max {{type}}'],
    ],
  });

export const codevaldcortex: DashboardDefinition = {
  file: 'codevaldcortex',
  build: () =>
    dashboard(
      'CodeValdCortex / Agents & workflows',
      'arangops-codevaldcortex',
      'CodeValdCortex agents, workflow executions and agent communications, from the profile metrics the arangops exporter serves.',
      'codevaldcortex_agents',
    )
      .withRow(row('Agents'))
      .withPanel(
        stat({
          title: 'Running agents',
          description: 'Agents whose status is running.',
          unit: 'none',
          queries: [[`sum(${sel('codevaldcortex_agents', 'status="running"')})`, 'running']],
        }),
      )
      .withPanel(
        stat({
          title: 'Oldest heartbeat',
          description:
            'Age of the oldest metrics.lastUpdated among running agents; the alert fires above 5 minutes.',
          unit: 's',
          queries: [[`max(${age('codevaldcortex_agent_heartbeat_oldest_timestamp_seconds')})`, 'oldest']],
        }),
      )
      .withPanel(
        stat({
          title: 'Highest error rate',
          description: 'Highest metrics.errorRate reported by a running agent.',
          unit: 'percentunit',
          span: 16,
          queries: [[`max(${sel('codevaldcortex_agent_error_rate_max_ratio')})`, 'max']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Agents by status',
          description: 'Agents in a live status (pending, active, running, error).',
          unit: 'none',
          queries: [[`sum by (status) (${sel('codevaldcortex_agents')})`, '{{status}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Heartbeat age by type',
          description: 'Age of the oldest heartbeat of running agents, per agent type.',
          unit: 's',
          queries: [
            [`max by (type) (${age('codevaldcortex_agent_heartbeat_oldest_timestamp_seconds')})`, '{{type}}'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Throughput by type',
          description:
            'Summed metrics.throughput of running agents, per agent type, as the agents report it.',
          unit: 'ops',
          queries: [[`sum by (type) (${sel('codevaldcortex_agent_throughput_per_second')})`, '{{type}}']],
        }),
      )
      .withPanel(
        meanAndMax('CPU usage by type', 'metrics.cpuUsage, a share of each agent limit', 'cpu_usage'),
      )
      .withPanel(
        meanAndMax(
          'Memory usage by type',
          'metrics.memoryUsage, a share of each agent limit',
          'memory_usage',
        ),
      )
      .withPanel(
        meanAndMax('Error rate by type', 'metrics.errorRate; the alert threshold is 5 %', 'error_rate'),
      )
      .withRow(row('Workflow executions'))
      .withPanel(
        timeseries({
          title: 'Executions pending and running',
          description: 'Workflow executions that are pending or running.',
          unit: 'none',
          queries: [[`sum by (status) (${sel('codevaldcortex_workflow_executions')})`, '{{status}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Oldest running execution',
          description: 'Time since the oldest running execution started; the alert fires above one hour.',
          unit: 's',
          queries: [
            [`max(${age('codevaldcortex_workflow_execution_oldest_start_timestamp_seconds')})`, 'oldest'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Task failure ratio (24 h)',
          description: 'Failed tasks over all tasks of the executions started in the last 24 hours.',
          unit: 'percentunit',
          min: 0,
          queries: [
            [
              `sum(${sel('codevaldcortex_workflow_tasks_failed_24h')}) / sum(${sel('codevaldcortex_workflow_tasks_24h')})`,
              'failed share',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Executions started (24 h)',
          description:
            'Executions started in the 24 hours before each scrape, by current status (a sliding window, not a counter).',
          unit: 'none',
          span: 24,
          queries: [
            [`sum by (status) (${sel('codevaldcortex_workflow_executions_started_24h')})`, '{{status}}'],
          ],
        }),
      )
      .withRow(row('Communications and storage'))
      .withPanel(
        timeseries({
          title: 'Undelivered communications',
          description: 'Agent communications pending, sent or failed, by status and message type.',
          unit: 'none',
          queries: [
            [
              `sum by (status, message_type) (${sel('codevaldcortex_communications')})`,
              '{{status}} {{message_type}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Oldest undelivered communication',
          description: 'Age of the oldest communication not delivered yet, by status.',
          unit: 's',
          queries: [
            [
              `max by (status) (${age('codevaldcortex_communication_oldest_undelivered_timestamp_seconds')})`,
              '{{status}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'TTL lag',
          description:
            'Age of the oldest communication past its ttl that the TTL index has not purged (sweep every 30 s; alert above 10 minutes).',
          unit: 's',
          queries: [
            [`max(${sel('codevaldcortex_communications_expired_oldest_age_seconds')})`, 'oldest expired'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Documents per collection',
          description: 'Documents in each CodeValdCortex collection.',
          unit: 'none',
          queries: [
            [
              `max by (collection) (${sel('arangops_collection_documents', 'database="codevaldcortex"')})`,
              '{{collection}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Data and index size',
          description: 'Size of the documents and of the indexes of each CodeValdCortex collection.',
          unit: 'bytes',
          queries: [
            [
              `max by (collection) (${sel('arangops_collection_documents_size_bytes', 'database="codevaldcortex"')})`,
              'data {{collection}}',
            ],
            [
              `max by (collection) (${sel('arangops_collection_indexes_size_bytes', 'database="codevaldcortex"')})`,
              'indexes {{collection}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Profile query time',
          description:
            'Time the last run of each profile AQL query took; each must stay well inside the scrape timeout.',
          unit: 's',
          queries: [[`max by (metric) (${sel('arangops_aql_metric_duration_seconds')})`, '{{metric}}']],
        }),
      ),
};
