/**
 * Reads a live collection as a stream of document batches, losslessly: a streaming AQL cursor
 * (`stream: true`, so the server produces batches as they are fetched instead of materialising
 * the result) read through raw arangojs requests, each batch body parsed with lossless-json. At
 * most one batch is in memory per reader. The backup and the verifier's restored-data checks
 * both read through here, so they parse numbers identically.
 */
import type { Database } from 'arangojs';
import { type LosslessDocument, type LosslessValue, parseLossless } from '../format/lossless.js';

export interface ReadCollectionOptions {
  /** Documents per batch; ArangoDB's default is 1000. */
  batchSize?: number;
  /** Seconds the server keeps an idle cursor; a slow upload between batches must not outlive it. */
  ttlSeconds?: number;
}

interface CursorBody {
  id?: string;
  result: LosslessDocument[];
  hasMore: boolean;
}

export async function* readCollection(
  db: Database,
  collection: string,
  { batchSize = 1000, ttlSeconds = 600 }: ReadCollectionOptions = {},
): AsyncGenerator<LosslessDocument[]> {
  let body = await cursorRequest(db, 'POST', '/_api/cursor', {
    query: 'FOR d IN @@collection RETURN d',
    bindVars: { '@collection': collection },
    batchSize,
    ttl: ttlSeconds,
    options: { stream: true },
  });
  let open = body.hasMore ? body.id : undefined;
  try {
    for (;;) {
      yield body.result;
      if (!body.hasMore || !open) break;
      body = await cursorRequest(db, 'POST', `/_api/cursor/${encodeURIComponent(open)}`);
      if (!body.hasMore) open = undefined;
    }
  } finally {
    // Stopped early (an error downstream): free the server-side cursor instead of waiting for its TTL.
    if (open)
      await db
        .request({ method: 'DELETE', pathname: `/_api/cursor/${encodeURIComponent(open)}` })
        .catch(() => {});
  }
}

async function cursorRequest(
  db: Database,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<CursorBody> {
  const blob = (await db.request({ method, pathname, body, expectBinary: true })) as Blob;
  const parsed = parseLossless(await blob.text()) as { [key: string]: LosslessValue };
  return {
    ...(typeof parsed.id === 'string' ? { id: parsed.id } : {}),
    result: (parsed.result ?? []) as LosslessDocument[],
    hasMore: parsed.hasMore === true,
  };
}
