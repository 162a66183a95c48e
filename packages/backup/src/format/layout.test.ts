import { describe, expect, it } from 'vitest';
import {
  collectionStem,
  dataFileName,
  newBackupId,
  objectKey,
  parseBackupId,
  plainFileName,
  structureFileName,
} from './layout.js';

describe('backup layout', () => {
  it('names collection files as arangodump does (md5 of the name)', () => {
    // The md5 seen in every real dump (test/data/arangodump).
    expect(collectionStem('_graphs')).toBe('_graphs_c827636f2b54efb49f1f02feeeacfb01');
    expect(structureFileName('character')).toBe('character_a956161a69928cd130a889b88082fb6e.structure.json');
    expect(dataFileName('character')).toBe('character_a956161a69928cd130a889b88082fb6e.data.json.gz');
  });

  it('makes sortable ids of time, database and a suffix, and parses them back', () => {
    const id = newBackupId('codevald cortex', new Date('2026-12-05T02:00:00.123Z'), '3f9a');
    expect(id).toBe('20261205T020000Z-codevald_cortex-3f9a');
    expect(parseBackupId(id)).toEqual({
      createdAt: new Date('2026-12-05T02:00:00Z'),
      database: 'codevald_cortex',
    });
    expect(parseBackupId('not-a-backup')).toBeUndefined();
    expect(
      newBackupId('db', new Date('2026-01-01T00:00:00Z')) <
        newBackupId('db', new Date('2026-01-02T00:00:00Z')),
    ).toBe(true);
  });

  it('stores every file but the manifest as an encrypted object', () => {
    expect(objectKey('X', 'dump.json')).toBe('backups/X/dump.json.enc');
    expect(objectKey('X', 'arangops-manifest.json')).toBe('backups/X/arangops-manifest.json');
    expect(plainFileName('dump.json.enc')).toBe('dump.json');
    expect(plainFileName('arangops-manifest.json')).toBeUndefined();
  });
});
