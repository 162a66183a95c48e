import { fileURLToPath } from 'node:url';
import { InputError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { loadMetricsFile, parseMetricsFile } from './metrics-file.js';

const PROFILE_METRICS = fileURLToPath(
  new URL('../../../schema/profiles/codevaldcortex/metrics.yaml', import.meta.url),
);

function inputError(text: string): InputError {
  try {
    parseMetricsFile(text, 'metrics.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('metrics.yaml model', () => {
  it('accepts the CodeValdCortex profile with every metric the brief lists', () => {
    const file = loadMetricsFile(PROFILE_METRICS);
    const names = file.metrics.map((m) => m.name);
    for (const name of [
      'codevaldcortex_agents',
      'codevaldcortex_agent_heartbeat_oldest_timestamp_seconds',
      'codevaldcortex_agent_cpu_usage_sum_ratio',
      'codevaldcortex_agent_memory_usage_max_ratio',
      'codevaldcortex_agent_throughput_per_second',
      'codevaldcortex_agent_error_rate_max_ratio',
      'codevaldcortex_workflow_executions',
      'codevaldcortex_workflow_execution_oldest_start_timestamp_seconds',
      'codevaldcortex_workflow_executions_started_24h',
      'codevaldcortex_workflow_tasks_24h',
      'codevaldcortex_workflow_tasks_failed_24h',
      'codevaldcortex_communications',
      'codevaldcortex_communication_oldest_undelivered_timestamp_seconds',
      'codevaldcortex_communications_expired_oldest_age_seconds',
    ]) {
      expect(names).toContain(name);
    }
    expect(file.metrics.find((m) => m.name === 'codevaldcortex_agents')?.labels).toEqual(['status', 'type']);
  });

  it('fills defaults', () => {
    const file = parseMetricsFile(
      'version: 1\nmetrics:\n  - { name: x, help: X, query: "RETURN {value: 1}" }\n',
      'm',
    );
    expect(file.defaults).toEqual({ timeoutMs: 5000, minIntervalSeconds: 0, memoryLimitBytes: 33554432 });
    expect(file.metrics[0]).toMatchObject({ type: 'gauge', value: 'value', labels: [], bindVars: {} });
  });

  it('takes labelValues only for its own labels, and only with zeroFill', () => {
    const metric = (extra: string) =>
      `version: 1\nmetrics:\n  - { name: x, help: X, labels: [status], query: "RETURN 1", ${extra} }\n`;
    expect(inputError(metric('labelValues: { state: [a] }, zeroFill: true')).message).toMatch(
      /is not one of labels/,
    );
    expect(inputError(metric('labelValues: { status: [a] }')).message).toMatch(/needs zeroFill/);
    expect(
      parseMetricsFile(metric('labelValues: { status: [a] }, zeroFill: true'), 'm').metrics[0],
    ).toMatchObject({ zeroFill: true, labelValues: { status: ['a'] } });
  });

  it('names file, line and field of a schema problem', () => {
    const error = inputError(
      [
        'version: 1',
        'metrics:',
        '  - name: ok_metric',
        '    help: fine',
        '    query: RETURN 1',
        '  - name: requests',
        '    type: counter',
        '    help: counter without _total',
        '    query: RETURN 1',
      ].join('\n'),
    );
    expect(error.location).toMatchObject({ file: 'metrics.yaml', line: 6, field: 'metrics.1.name' });
    expect(error.message).toMatch(
      /^metrics\.yaml:6:\d+ \(metrics\.1\.name\): a counter name must end in _total/,
    );
  });

  it('reports a missing key at its parent, and every other problem in the message', () => {
    const error = inputError(
      [
        'version: 1',
        'metrics:',
        '  - name: a',
        '    query: RETURN 1',
        '  - { name: a, help: dup, query: RETURN 1, labels: [le] }',
      ].join('\n'),
    );
    expect(error.location.line).toBe(3);
    expect(error.message).toContain('metrics.0.help');
    expect(error.message).toContain('reserved label name');
  });

  it('rejects a metric defined twice', () => {
    const error = inputError(
      [
        'version: 1',
        'metrics:',
        '  - { name: a, help: A, query: RETURN 1 }',
        '  - { name: a, help: A, query: RETURN 2 }',
      ].join('\n'),
    );
    expect(error.location).toMatchObject({ line: 4, field: 'metrics.1.name' });
    expect(error.message).toContain('a is defined twice');
  });

  it('reports YAML syntax errors with their position', () => {
    const error = inputError('version: 1\nmetrics: [\n');
    expect(error.location.file).toBe('metrics.yaml');
    expect(error.location.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects an unreadable file as input error', () => {
    expect(() => loadMetricsFile('/nonexistent/metrics.yaml')).toThrow(/ENOENT/);
  });
});
