/**
 * The restored database against the profile, through the schema engine's own
 * inspect + diff: the profile's database is looked for under the scratch name,
 * users are out of scope, and what a scratch restore changes on purpose
 * (replication, shard count) is not drift.
 */
import type { ArangoConnection } from '@arangops/core';
import { diffSchema, inspectDatabase, type Profile } from '@arangops/schema';
import type { CheckResult } from '../types.js';

/** Collection fields a scratch restore sets itself (placement options). */
const PLACEMENT_FIELDS = new Set([
  'replicationFactor',
  'writeConcern',
  'minReplicationFactor',
  'numberOfShards',
]);

export async function profileCheck(
  connection: ArangoConnection,
  profile: Profile,
  sourceDatabase: string,
  scratch: string,
): Promise<CheckResult> {
  const spec = profile.databases[sourceDatabase];
  if (!spec) {
    return {
      name: 'profile',
      status: 'skipped',
      reason: `the profile does not declare database "${sourceDatabase}"`,
    };
  }
  const scoped = { ...profile, databases: { [scratch]: spec }, users: {} } as Profile;
  const live = await inspectDatabase(connection, scoped);
  const items = diffSchema(scoped, live).items.filter(
    (i) => !(i.change === 'changed' && (i.fields ?? []).every((f) => PLACEMENT_FIELDS.has(f))),
  );
  if (items.length === 0) {
    return {
      name: 'profile',
      status: 'pass',
      reason: `in sync with the profile's "${sourceDatabase}" database`,
    };
  }
  const unscoped = items.map((i) => ({
    path: i.path.replace(scratch, sourceDatabase),
    change: i.change,
    message: i.message.replaceAll(scratch, sourceDatabase),
  }));
  return {
    name: 'profile',
    status: 'fail',
    reason: `${items.length} drift item(s) against the profile, first: ${unscoped[0]!.message}`,
    details: { items: unscoped },
  };
}
