import type { ArangoConnection } from '@arangops/core';
import { requestTimeoutMs } from '../collector.js';
import { ascii, LF } from '../exposition/bytes.js';
import { parseValue } from '../exposition/parse.js';
import { CLUSTER_METRICS, type MetricDefinition } from '../metric-names.js';
import { SERVER_METRICS_PATH } from './server-metrics.js';

/**
 * The families of the coordinator's own metrics page (ArangoDB 3.12.8 and later) that count the
 * whole cluster's shards, computed by the coordinator from the agency's Plan and Current: one
 * request per scrape, whatever the number of databases and collections, readable by any user
 * (unless the server runs with `--server.harden`).
 */
const SHARD_FAMILIES: ReadonlyArray<readonly [string, MetricDefinition]> = [
  ['arangodb_metadata_number_of_shards', CLUSTER_METRICS.shards],
  ['arangodb_metadata_number_out_of_sync_shards', CLUSTER_METRICS.shardsOutOfSync],
  ['arangodb_metadata_number_not_replicated_shards', CLUSTER_METRICS.shardsNotReplicated],
  ['arangodb_metadata_shard_followers_out_of_sync_number', CLUSTER_METRICS.shardFollowersOutOfSync],
];
const PREFIX = ascii('\narangodb_metadata_');

/** The value of each shard family on a metrics page; families the page lacks are left out. */
export function shardCountsOf(page: Buffer): Map<MetricDefinition, number> {
  const wanted = new Map(SHARD_FAMILIES);
  const found = new Map<MetricDefinition, number>();
  // Only the few lines with the prefix are read, as text: the page has some 200 families.
  for (let at = page.indexOf(PREFIX); at >= 0; at = page.indexOf(PREFIX, at + 1)) {
    const end = page.indexOf(LF, at + 1);
    const line = page.toString('latin1', at + 1, end < 0 ? page.length : end).trim();
    const nameEnd = line.search(/[{ ]/);
    const definition = wanted.get(line.slice(0, nameEnd));
    if (!definition) continue;
    const value = parseValue(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) found.set(definition, value);
  }
  return found;
}

/**
 * The coordinator's own page (no `serverId`): its counts are cluster-wide. As bytes: decoded,
 * the whole page would be a string of its size each scrape for the few lines read. Unavailable
 * is not an error.
 */
export async function coordinatorShardCounts(
  connection: ArangoConnection,
  timeoutMs: number,
): Promise<Map<MetricDefinition, number>> {
  try {
    const page = await connection.requestBytes({
      pathname: SERVER_METRICS_PATH,
      timeout: requestTimeoutMs(timeoutMs),
    });
    return shardCountsOf(Buffer.from(page.buffer, page.byteOffset, page.byteLength));
  } catch {
    return new Map();
  }
}

/**
 * The supervision's mode (Supervision/State/Mode) from `/_admin/cluster/maintenance`, which
 * answers admin users only (rw on `_system`): for others it stays unknown.
 */
export async function supervisionMaintenance(
  connection: ArangoConnection,
  timeoutMs: number,
): Promise<number | undefined> {
  try {
    const body = (await connection
      .database()
      .request({ pathname: '/_admin/cluster/maintenance', timeout: requestTimeoutMs(timeoutMs) })) as {
      result?: unknown;
    };
    if (body.result === 'Maintenance') return 1;
    return body.result === 'Normal' ? 0 : undefined;
  } catch {
    return undefined;
  }
}
