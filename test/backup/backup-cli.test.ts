/**
 * `arangops backup run|list|decrypt|prune` as a CronJob runs them: the store and key from the
 * environment, the backup id on stdout, exit codes, run records, --json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';
import { tempDir } from '../harness/temp-dir.js';
import { readDumpDirectory, runCliAgainst, writeKeyFile } from './helpers.js';

let target: ArangoTarget;
beforeAll(async () => {
  target = await arangoTarget({
    mode: 'single',
    version: '3.12.10',
    seed: { agents: 20, executions: 30, communications: 40 },
  });
});
afterAll(() => target.stop());

const runCli = (args: string[], env: NodeJS.ProcessEnv, work: string) =>
  runCliAgainst(target, args, env, work);

describe('arangops backup', () => {
  it('runs, lists, decrypts and prunes with ARANGOPS_STORE and ARANGOPS_KEY_FILE', async () => {
    const work = tempDir('backup-cli');
    const env = {
      ARANGOPS_STORE: pathToFileURL(join(work, 'store')).href,
      ARANGOPS_KEY_FILE: writeKeyFile(work),
    };

    const run = await runCli(
      ['backup', 'run', '--database', 'codevaldcortex', '--exclude', 'agent_communications'],
      env,
      work,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const backupId = run.stdout.trim();
    expect(backupId).toMatch(/^\d{8}T\d{6}Z-codevaldcortex-[0-9a-f]{4}$/);
    const record = JSON.parse(readFileSync(join(work, 'runs/backup.json'), 'utf8'));
    expect(record).toMatchObject({
      job: 'backup',
      success: true,
      summary: { collections: expect.any(Number) },
    });

    const list = await runCli(['--json', 'backup', 'list'], env, work);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.backups).toHaveLength(1);
    expect(listed.backups[0]).toMatchObject({
      backupId,
      complete: true,
      database: 'codevaldcortex',
      verified: true,
    });
    expect(listed.backups[0].documents).toBeGreaterThan(0);
    const text = await runCli(['backup', 'list'], env, work);
    expect(text.stdout).toMatch(new RegExp(`^BACKUP +STATUS +SIZE +AGE +DOCUMENTS\\n${backupId} +complete `));

    const out = join(work, 'plain');
    const dec = await runCli(['backup', 'decrypt', backupId, out], env, work);
    expect(dec.code).toBe(0);
    const dumped = readDumpDirectory(out);
    expect([...dumped.keys()]).toContain('agents');
    expect([...dumped.keys()]).not.toContain('agent_communications');
    // A second decrypt into the same (now full) directory is refused, naming it.
    const again = await runCli(['backup', 'decrypt', backupId, out], env, work);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(out);

    const prune = await runCli(
      ['backup', 'prune', '--keep-days', '0', '--keep-last', '1', '--dry-run'],
      env,
      work,
    );
    expect(prune.code).toBe(0);
    expect(prune.stdout).toContain(`keep  ${backupId}  (one of the newest 1 complete backups)`);
  });

  it('fails with exit 2 and one line naming the file when the key file holds a key of the wrong length', async () => {
    const work = tempDir('backup-cli-badkey');
    const keyFile = writeKeyFile(work, 16);
    const store = join(work, 'store');
    const run = await runCli(
      ['backup', 'run', '--database', 'codevaldcortex', '--key-file', keyFile, '--store', store],
      {},
      work,
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${keyFile}: expected a base64 256-bit key`);
    expect(run.stderr).toContain('got 128 bits');
    expect(run.stderr).not.toContain(readFileSync(keyFile, 'utf8').trim());
    expect(existsSync(store)).toBe(false);
    const record = JSON.parse(readFileSync(join(work, 'runs/backup.json'), 'utf8'));
    expect(record).toMatchObject({
      job: 'backup',
      success: false,
      message: expect.stringMatching(/^input: /),
    });
  });

  it('names the missing store setting', async () => {
    const work = tempDir('backup-cli-nostore');
    const run = await runCli(['backup', 'list'], {}, work);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backup.store');
  });
});
