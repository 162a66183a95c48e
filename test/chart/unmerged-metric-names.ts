/**
 * METRIC NAMES NOT MERGED YET. The chart's rules and dashboards use these names, which other
 * branches are adding right now; until they land, the metric-name test takes them from here.
 * Each entry names the issue that defines it. When a branch lands, its names appear in the
 * real sources (the exporter's metric-names.ts, a package's metric library, a profile's
 * metrics.yaml) and the test fails until the entry is removed from this list: the real
 * page then takes over, and a later rename breaks the build.
 */
export const UNMERGED_METRIC_NAMES: Readonly<Record<string, string>> = {
  // Issue 16, the exporter's heartbeat timestamp (replaces ..._last_ack_age_seconds).
  arangops_cluster_member_last_ack_timestamp_seconds: 'issue 16',
  // Issue 16, the reworked CodeValdCortex profile metrics (raw timestamps and sums).
  codevaldcortex_agent_heartbeat_oldest_timestamp_seconds: 'issue 16',
  codevaldcortex_agent_cpu_usage_sum_ratio: 'issue 16',
  codevaldcortex_agent_memory_usage_sum_ratio: 'issue 16',
  codevaldcortex_agent_error_rate_sum_ratio: 'issue 16',
  codevaldcortex_agent_error_rate_max_ratio: 'issue 16',
  codevaldcortex_agent_throughput_per_second: 'issue 16',
  codevaldcortex_workflow_execution_oldest_start_timestamp_seconds: 'issue 16',
  codevaldcortex_workflow_executions_started_24h: 'issue 16',
  codevaldcortex_workflow_tasks_24h: 'issue 16',
  codevaldcortex_workflow_tasks_failed_24h: 'issue 16',
  codevaldcortex_communication_oldest_undelivered_timestamp_seconds: 'issue 16',
  codevaldcortex_communications_expired_oldest_age_seconds: 'issue 16',
};
