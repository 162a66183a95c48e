import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsConfigSchema } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/harness/temp-dir.js';
import { newBackupId } from '../format/layout.js';
import type { BackupListing } from '../job/list-backups.js';
import { openStore } from '../store/open-store.js';
import { deleteBackup, planPrune } from './plan-prune.js';

const NOW = new Date('2026-12-05T03:00:00Z');
const DAY = 24 * 3600 * 1000;

function backup(daysAgo: number, complete: boolean, touchedDaysAgo = daysAgo): BackupListing {
  const createdAt = new Date(NOW.getTime() - daysAgo * DAY);
  return {
    backupId: newBackupId('db', createdAt, daysAgo.toString(16).padStart(4, '0').slice(-4)),
    database: 'db',
    createdAt,
    complete,
    ...(complete ? {} : { problem: 'no manifest' }),
    objects: 3,
    storedBytes: 100,
    lastModified: new Date(NOW.getTime() - touchedDaysAgo * DAY),
  };
}

const deleted = (plan: ReturnType<typeof planPrune>) =>
  plan.filter((d) => d.action === 'delete').map((d) => d.backup.createdAt.toISOString().slice(0, 10));

describe('retention', () => {
  it('deletes complete backups past keepDays beyond the newest keepLast, and stale incomplete prefixes', () => {
    const daily = Array.from({ length: 40 }, (_, i) => backup(i + 0.5, true));
    const plan = planPrune(
      [...daily, backup(0.1, false), backup(3, false), backup(2, false, 0.5)],
      { keepDays: 30, keepLast: 7 },
      NOW,
    );
    // 40 daily backups, 30 days kept: the 10 oldest go.
    expect(deleted(plan).filter((d) => d < '2026-11-05')).toHaveLength(10);
    // Incomplete: the one untouched for 3 days goes; one still being written (0.1 d) and one touched 12 h ago stay.
    const incomplete = plan.filter((d) => !d.backup.complete);
    expect(incomplete.map((d) => d.action)).toEqual(['keep', 'delete', 'keep']);
    expect(plan.find((d) => d.action === 'delete' && !d.backup.complete)!.reason).toMatch(/incomplete/);
  });

  it('keeps the newest keepLast complete backups however old, and never the newest complete one', () => {
    const old = [backup(100, true), backup(90, true), backup(80, true), backup(70, false)];
    expect(deleted(planPrune(old, { keepDays: 30, keepLast: 2 }, NOW))).toEqual(['2026-08-27', '2026-09-26']);
    // keepLast 0 is read as 1: a store is never left without a complete backup.
    const plan = planPrune(old, { keepDays: 1, keepLast: 0 }, NOW);
    expect(plan.filter((d) => d.action === 'keep').map((d) => d.backup.createdAt.getTime())).toEqual([
      NOW.getTime() - 80 * DAY,
    ]);
  });

  it('an incomplete backup newer than every complete one does not count as the newest', () => {
    const plan = planPrune([backup(60, true), backup(0.2, false)], { keepDays: 30, keepLast: 1 }, NOW);
    expect(plan.map((d) => d.action)).toEqual(['keep', 'keep']);
  });

  it('deletes a backup folder with its manifest first, leaving the others', async () => {
    const root = tempDir('prune-store');
    for (const id of ['a', 'b']) {
      mkdirSync(join(root, 'backups', id), { recursive: true });
      for (const f of ['dump.json.enc', 'arangops-manifest.json'])
        writeFileSync(join(root, 'backups', id, f), 'x');
    }
    utimesSync(join(root, 'backups', 'a', 'dump.json.enc'), NOW, NOW);
    const store = openStore(root, { aws: awsConfigSchema.parse({}) });
    expect(await deleteBackup(store, 'a')).toBe(2);
    const left: string[] = [];
    for await (const o of store.list('backups/')) left.push(o.key);
    expect(left).toEqual(['backups/b/arangops-manifest.json', 'backups/b/dump.json.enc']);
  });
});
