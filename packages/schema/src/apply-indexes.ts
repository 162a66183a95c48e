/**
 * Replacing an index without losing it: ArangoDB has no "alter index", and a
 * create it refuses (duplicates under `unique`, a second TTL index, a taken
 * name, a type the server lacks) must leave the collection as it was.
 */
import { isArangoServerError } from '@arangops/core';
import { type ArangoHttp, ERRORS, type Json } from './arango-http.js';
import { INDEX_VOLATILE_KEYS } from './normalise.js';
import type { BootstrapAction } from './types.js';

type ReplaceIndex = Extract<BootstrapAction, { op: 'replaceIndex' }>;

/** Marks the trial copy of a replacement; never left behind. */
const TRIAL_INDEX_SUFFIX = '_arangops_trial';

/**
 * 1. Where ArangoDB allows a second index beside the old one (not TTL: one per collection), the
 *    declared definition is built first under a trial name; a refusal then changes nothing.
 * 2. The old index is dropped (the trial too: the server would answer the final create with it,
 *    as an equivalent index) and the declared one created under its name.
 * 3. If that create is refused, the old definition is created again and the refusal rethrown.
 */
export async function replaceIndex(http: ArangoHttp, action: ReplaceIndex, body: Json): Promise<void> {
  const { database, collection } = action;
  const post = (definition: Json) =>
    http.request(database, 'POST', '/_api/index', definition, { collection });
  const drop = (id: string) => tolerateMissing(() => http.request(database, 'DELETE', `/_api/index/${id}`));

  const current = await http.getOptional(database, `/_api/index/${action.id}`, [ERRORS.indexNotFound]);
  const old = current ? definitionOf(current) : undefined;

  if (old && body.type !== 'ttl') {
    const trial = await post({ ...body, name: `${action.name}${TRIAL_INDEX_SUFFIX}` });
    // Not newly created: an equivalent index answered (ArangoDB's "ensure"), so nothing was proven.
    if (trial.isNewlyCreated === true && typeof trial.id === 'string') await drop(trial.id);
  }
  await drop(action.id);
  try {
    await post(body);
  } catch (e) {
    if (old) {
      try {
        await post(old);
      } catch (restoreError) {
        throw new Error(
          `index ${action.name} on ${collection}: the declared definition was refused and the previous one could not be restored (${String(restoreError)}); previous definition: ${JSON.stringify(old)}`,
          { cause: e },
        );
      }
    }
    throw e;
  }
}

function definitionOf(description: Json): Json {
  return Object.fromEntries(
    Object.entries(description).filter(([k]) => !INDEX_VOLATILE_KEYS.has(k) && !k.startsWith('coordinator')),
  );
}

async function tolerateMissing(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!isArangoServerError(e, ERRORS.indexNotFound)) throw e;
  }
}
