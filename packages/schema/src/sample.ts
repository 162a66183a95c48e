/** Optional data-shape check: do stored documents satisfy the declared validation rule? */
import type { ArangoConnection } from '@arangops/core';
import { Ajv } from 'ajv';
import { arangoHttp } from './arango-http.js';
import type { LiveState, Profile, SampleResult } from './types.js';

/** ArangoDB does not validate system attributes; neither do we. */
const SYSTEM_ATTRIBUTES = ['_key', '_id', '_rev', '_from', '_to'];

export async function sampleDocuments(
  connection: ArangoConnection,
  profile: Profile,
  live: LiveState,
  size: number,
): Promise<SampleResult[]> {
  const http = arangoHttp(connection);
  const ajv = new Ajv({ strict: false, allErrors: false });
  const results: SampleResult[] = [];
  for (const [database, spec] of Object.entries(profile.databases)) {
    for (const [collection, coll] of Object.entries(spec.collections)) {
      if (!coll.schema || !live.databases[database]?.collections[collection]) continue;
      const validate = ajv.compile(coll.schema.rule);
      const body = await http.request(database, 'POST', '/_api/cursor', {
        query: 'FOR d IN @@c LIMIT @n RETURN d',
        bindVars: { '@c': collection, n: size },
        batchSize: size,
      });
      const docs = Array.isArray(body.result) ? body.result : [];
      if (body.hasMore === true && typeof body.id === 'string') {
        await http.request(database, 'DELETE', `/_api/cursor/${body.id}`);
      }
      let nonConforming = 0;
      for (const doc of docs) {
        const copy = { ...(doc as Record<string, unknown>) };
        for (const a of SYSTEM_ATTRIBUTES) delete copy[a];
        if (!validate(copy)) nonConforming++;
      }
      results.push({ database, collection, sampled: docs.length, nonConforming });
    }
  }
  return results;
}
