/**
 * Backups & verification: age, duration and size of the backups, the last verification per
 * check, and the RTO trend (how long a full restore took at each weekly verification). The
 * jobs process serves arangops_backup_* and arangops_verify_*; in CronJob mode the run
 * records the exporter serves (arangops_last_run_*{task}) carry the same verdicts.
 */
import { type DashboardDefinition, dashboard, row, sel, stat, timeseries } from './kit.js';

export const backups: DashboardDefinition = {
  file: 'backups',
  build: () =>
    dashboard(
      'arangops / Backups & verification',
      'arangops-backups',
      'Encrypted logical backups of ArangoDB and their weekly restore verification.',
      'arangops_last_run_timestamp_seconds',
    )
      .withRow(row('Now'))
      .withPanel(
        stat({
          title: 'Last successful backup',
          description:
            'Time since the last backup that finished with its manifest; the alert fires after two days.',
          unit: 's',
          queries: [
            [
              `time() - max(${sel('arangops_backup_last_success_timestamp_seconds')} or ${sel('arangops_last_success_timestamp_seconds', 'task="backup"')})`,
              'age',
            ],
          ],
        }),
      )
      .withPanel(
        stat({
          title: 'Last verification',
          description: 'Whether the last full verification passed.',
          unit: 'none',
          passFail: true,
          queries: [[`min(${sel('arangops_verify_success')})`, 'verdict']],
        }),
      )
      .withPanel(
        stat({
          title: 'Last passed verification',
          description: 'Time since a verification last passed; the alert fires after 8 days without a run.',
          unit: 's',
          queries: [[`time() - max(${sel('arangops_verify_last_success_timestamp_seconds')})`, 'age']],
        }),
      )
      .withPanel(
        stat({
          title: 'Last run per job',
          description:
            'Whether the last recorded run of each job (backup, verify, verify-cheap, drift, prune) succeeded.',
          unit: 'none',
          passFail: true,
          span: 12,
          queries: [[`min by (task) (${sel('arangops_last_run_success')})`, '{{task}}']],
        }),
      )
      .withPanel(
        stat({
          title: 'Last verification per check',
          description:
            'Verdict of each check of the last verification (manifest, objects, counts, digests, indexes, ...).',
          unit: 'none',
          passFail: true,
          span: 24,
          queries: [[`min by (check) (${sel('arangops_verify_check_success')})`, '{{check}}']],
        }),
      )
      .withRow(row('Backups'))
      .withPanel(
        timeseries({
          title: 'Backup age',
          description: 'Age of the newest complete backup in the store.',
          unit: 's',
          queries: [[`max(${sel('arangops_backup_age_seconds')})`, 'age']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Backup duration',
          description: 'How long the last backup took, dump and upload included.',
          unit: 's',
          queries: [[`max(${sel('arangops_backup_duration_seconds')})`, 'duration']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Backup size',
          description: 'Encrypted size of the last backup in the store.',
          unit: 'bytes',
          queries: [[`max(${sel('arangops_backup_size_bytes')})`, 'size']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Documents backed up',
          description: 'Documents in the last backup.',
          unit: 'none',
          queries: [[`max(${sel('arangops_backup_documents')})`, 'documents']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Backup failures',
          description: 'Failed backups per second, by reason.',
          unit: 'ops',
          queries: [
            [
              `sum by (reason) (increase(${sel('arangops_backup_failures_total')}[$__rate_interval]))`,
              '{{reason}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Job run duration',
          description: 'How long the last recorded run of each job took.',
          unit: 's',
          queries: [[`max by (task) (${sel('arangops_last_run_duration_seconds')})`, '{{task}}']],
        }),
      )
      .withRow(row('Verification'))
      .withPanel(
        timeseries({
          title: 'RTO trend',
          description:
            'Duration of the full restore at each verification, by phase: the recovery time a real restore would take.',
          unit: 's',
          span: 16,
          queries: [
            [`sum(${sel('arangops_verify_phase_duration_seconds')})`, 'total'],
            [`max by (phase) (${sel('arangops_verify_phase_duration_seconds')})`, '{{phase}}'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Documents restored',
          description: 'Documents the last verification restored into its scratch database.',
          unit: 'none',
          queries: [[`max(${sel('arangops_verify_restored_documents')})`, 'restored']],
        }),
      ),
};
