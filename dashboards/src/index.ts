/** Every dashboard the chart ships, in charts/arangops/files/dashboards/<file>.json. */
import { backups } from './backups.js';
import { clusterOverview } from './cluster-overview.js';
import { codevaldcortex } from './codevaldcortex.js';
import type { DashboardDefinition } from './kit.js';
import { schemaDrift } from './schema-drift.js';

export type { DashboardDefinition } from './kit.js';

export const DASHBOARDS: readonly DashboardDefinition[] = [
  clusterOverview,
  codevaldcortex,
  backups,
  schemaDrift,
];

/** The JSON the chart ships: two-space indented, with a final newline. */
export function renderDashboard(definition: DashboardDefinition): string {
  return `${JSON.stringify(definition.build().build(), null, 2)}\n`;
}
