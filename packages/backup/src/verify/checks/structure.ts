/**
 * The restored indexes, views, analyzers and graphs match the backup's
 * structure files (compared in the schema engine's normalised form, so
 * server defaults and ids do not count as differences).
 */
import { normaliseIndex } from '@arangops/schema';
import type { Database } from 'arangojs';
import type { RestoreSummary } from '../../restore/index.js';
import type { DumpDatabase } from '../../source/index.js';
import type { CheckResult } from '../types.js';

const IMPLICIT = new Set(['primary', 'edge']);

function canonicalIndexes(raw: Record<string, unknown>[], withNames: boolean): string[] {
  return raw
    .filter((i) => !IMPLICIT.has(String(i.type)))
    .map((i) => {
      const { canonical } = normaliseIndex(i);
      if (!withNames) delete canonical.name;
      return JSON.stringify(canonical);
    })
    .sort();
}

export async function structureCheck(
  db: Database,
  dump: DumpDatabase,
  summary: RestoreSummary,
): Promise<CheckResult> {
  const differences: string[] = [];
  for (const c of dump.collections.filter((x) => !x.isSystem)) {
    const restored = (await db.collection(c.name).indexes()) as unknown as Record<string, unknown>[];
    // Dumps from before index names (3.4) compare without them.
    const named = c.indexes.every((i) => typeof i.name === 'string' || IMPLICIT.has(String(i.type)));
    const want = canonicalIndexes(c.indexes, named);
    const got = canonicalIndexes(restored, named);
    for (const i of want) if (!got.includes(i)) differences.push(`${c.name}: index ${i} is missing`);
    for (const i of got)
      if (!want.includes(i)) differences.push(`${c.name}: index ${i} is not in the backup`);
  }
  const views = (await db.listViews()).map((v) => v.name).sort();
  const wantViews = dump.views.map((v) => v.name).sort();
  if (JSON.stringify(views) !== JSON.stringify(wantViews)) {
    differences.push(`views: backup has [${wantViews.join(', ')}], restored [${views.join(', ')}]`);
  }
  for (const v of dump.views) {
    const props = (await db.view(v.name).properties()) as unknown as Record<string, unknown>;
    const wantLinks = Object.keys((v.definition.links as object | undefined) ?? {}).sort();
    const gotLinks = Object.keys((props.links as object | undefined) ?? {}).sort();
    if (JSON.stringify(wantLinks) !== JSON.stringify(gotLinks)) {
      differences.push(
        `view ${v.name}: links [${wantLinks.join(', ')}] restored as [${gotLinks.join(', ')}]`,
      );
    }
  }
  const graphs = (await db.listGraphs()).map((g) => g.name).sort();
  if (JSON.stringify(graphs) !== JSON.stringify(summary.graphs)) {
    differences.push(`graphs: backup has [${summary.graphs.join(', ')}], restored [${graphs.join(', ')}]`);
  }
  const prefix = `${db.name}::`;
  const analyzers = (await db.listAnalyzers())
    .map((a) => a.name)
    .filter((n) => n.startsWith(prefix))
    .map((n) => n.slice(prefix.length))
    .sort();
  if (JSON.stringify(analyzers) !== JSON.stringify(summary.analyzers)) {
    differences.push(
      `analyzers: backup has [${summary.analyzers.join(', ')}], restored [${analyzers.join(', ')}]`,
    );
  }
  if (differences.length === 0) {
    return {
      name: 'structure',
      status: 'pass',
      reason: `indexes, ${views.length} view(s), ${graphs.length} graph(s) and ${analyzers.length} analyzer(s) match the backup`,
    };
  }
  return {
    name: 'structure',
    status: 'fail',
    reason: `${differences.length} difference(s) from the backup's structure, first: ${differences[0]}`,
    details: { differences },
  };
}
