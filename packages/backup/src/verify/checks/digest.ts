/**
 * The order-independent content digest of each restored collection equals the
 * backup's: the one its manifest recorded, or for a plain dump the digest of
 * its data files. Both sides go through the backup's own digest and lossless
 * parser (the restored side through the same reader backups use).
 */
import type { Database } from 'arangojs';
import { readCollection } from '../../dump/read-collection.js';
import { ContentDigest } from '../../format/digest.js';
import { type LosslessDocument, parseLossless } from '../../format/lossless.js';
import { type DumpCollection, type DumpFiles, dumpOperations } from '../../source/index.js';
import type { CheckResult } from '../types.js';

/** The digest of a dumped collection's data parts, applied in order (envelope removals and repeats net out). */
export async function dumpDigest(files: DumpFiles, c: DumpCollection): Promise<string> {
  const digest = new ContentDigest();
  const keyed = new Map<string, string>();
  for (const path of c.dataPaths) {
    for await (const op of dumpOperations(files, path)) {
      if (op.op === 'remove') keyed.delete(op.key);
      else if (op.key !== undefined) keyed.set(op.key, op.text);
      else digest.add(parseLossless(op.text) as LosslessDocument);
    }
  }
  for (const text of keyed.values()) digest.add(parseLossless(text) as LosslessDocument);
  return digest.hex();
}

export async function restoredDigest(db: Database, collection: string): Promise<string> {
  const digest = new ContentDigest();
  for await (const batch of readCollection(db, collection)) for (const doc of batch) digest.add(doc);
  return digest.hex();
}

export async function digestCheck(
  db: Database,
  expected: Record<string, string>,
  source: string,
): Promise<CheckResult> {
  const differing: { collection: string; expected: string; restored: string }[] = [];
  for (const [collection, want] of Object.entries(expected).sort()) {
    const got = await restoredDigest(db, collection);
    if (got !== want) differing.push({ collection, expected: want, restored: got });
  }
  if (differing.length === 0) {
    return {
      name: 'digest',
      status: 'pass',
      reason: `the content of ${Object.keys(expected).length} collection(s) equals the ${source} digest`,
    };
  }
  return {
    name: 'digest',
    status: 'fail',
    reason: `the restored content of ${differing.map((d) => d.collection).join(', ')} differs from the ${source} digest`,
    details: { differing },
  };
}
