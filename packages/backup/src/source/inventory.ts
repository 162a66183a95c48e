/**
 * What a dump holds, read from its file names and metadata files only (no
 * data file is opened): databases (`--all-databases` writes one folder each),
 * collections with their structure and data parts, views. Naming follows
 * arangodump: `<name>_<md5>.structure.json` (single server) or
 * `<name>.structure.json` (cluster), data always `<name>_<md5>[.<n>].data.json[.gz]`.
 */
import { createHash } from 'node:crypto';
import { InputError } from '@arangops/core';
import type { DumpFile, DumpFiles } from './files.js';
import { readJsonFile } from './read.js';

export interface DumpJson {
  database?: string;
  lastTickAtDumpStart?: string;
  useEnvelope?: boolean;
  properties?: Record<string, unknown>;
}

export interface DumpCollection {
  name: string;
  type: 'document' | 'edge';
  isSystem: boolean;
  structurePath: string;
  parameters: Record<string, unknown>;
  indexes: Record<string, unknown>[];
  /** Data parts in order (split dumps have several). */
  dataPaths: string[];
  /** Stored size of the data parts together. */
  dataBytes: number;
}

export interface DumpView {
  name: string;
  path: string;
  definition: Record<string, unknown>;
}

/** Something wrong with the dump's files that a restore would trip over. */
export interface DumpProblem {
  file: string;
  problem: string;
}

export interface DumpDatabase {
  /** Folder inside the dump ('' for a single-database dump). */
  dir: string;
  /** The database the dump was taken from (dump.json), else the folder name. */
  name: string;
  dumpJson?: DumpJson;
  collections: DumpCollection[];
  views: DumpView[];
  problems: DumpProblem[];
}

export interface DumpInventory {
  location: string;
  /** Content of ENCRYPTION ('none' when absent). */
  encryption: string;
  databases: DumpDatabase[];
}

const STRUCTURE = /^(.+)\.structure\.json$/;
const DATA = /^(.+?)(?:\.(\d+))?\.data\.(json|vpack)(\.gz)?$/;
const VIEW = /^(.+)\.view\.json$/;
/** Files arangodump, arangorestore or arangops leave beside the dump that are not part of a database. */
const IGNORED = new Set(['ENCRYPTION', 'continue.json', 'arangops-manifest.json']);

export function md5Hex(name: string): string {
  return createHash('md5').update(name).digest('hex');
}

export async function readDumpInventory(files: DumpFiles): Promise<DumpInventory> {
  const all = await files.list();
  const byDir = new Map<string, DumpFile[]>();
  for (const f of all) {
    const slash = f.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.path.slice(0, slash);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const encryptionFile = all.find((f) => f.path === 'ENCRYPTION');
  const encryption = encryptionFile ? (await readText(files, 'ENCRYPTION')).trim() || 'none' : 'none';
  if (encryption !== 'none') {
    throw new InputError(
      `${files.location} was encrypted by arangodump (${encryption}); decrypt it with arangodump's key first, arangops reads plain dumps and its own backups`,
      { file: `${files.location}/ENCRYPTION` },
    );
  }
  const databases: DumpDatabase[] = [];
  for (const [dir, entries] of [...byDir].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!entries.some((f) => f.path.endsWith('.structure.json') || f.path.endsWith('dump.json'))) continue;
    databases.push(await readDatabase(files, dir, entries));
  }
  if (databases.length === 0) {
    throw new InputError(`${files.location} holds no dump.json and no *.structure.json: not an arangodump`, {
      file: files.location,
    });
  }
  return { location: files.location, encryption, databases };
}

async function readDatabase(files: DumpFiles, dir: string, entries: DumpFile[]): Promise<DumpDatabase> {
  const problems: DumpProblem[] = [];
  const base = (f: DumpFile) => (dir ? f.path.slice(dir.length + 1) : f.path);
  const at = (name: string) => (dir ? `${dir}/${name}` : name);
  const dumpJsonFile = entries.find((f) => base(f) === 'dump.json');
  let dumpJson: DumpJson | undefined;
  if (dumpJsonFile) {
    const parsed = await readJsonFile(files, dumpJsonFile.path).catch((e: Error) => {
      problems.push({ file: dumpJsonFile.path, problem: e.message });
      return undefined;
    });
    if (parsed) dumpJson = parsed as DumpJson;
  }

  const data = new Map<string, DumpFile[]>();
  for (const f of entries) {
    const m = DATA.exec(base(f));
    if (!m) continue;
    if (m[3] === 'vpack') {
      problems.push({
        file: f.path,
        problem: 'VelocyPack data files (arangodump --dump-vpack) cannot be read',
      });
      continue;
    }
    const stem = m[1] ?? '';
    data.set(stem, [...(data.get(stem) ?? []), f]);
  }

  const collections: DumpCollection[] = [];
  const views: DumpView[] = [];
  for (const f of entries) {
    const name = base(f);
    if (IGNORED.has(name) || name === 'dump.json' || DATA.test(name)) continue;
    const structure = STRUCTURE.exec(name);
    const view = VIEW.exec(name);
    if (!structure && !view) {
      problems.push({ file: f.path, problem: 'not a file arangodump writes' });
      continue;
    }
    let body: Record<string, unknown>;
    try {
      body = (await readJsonFile(files, f.path)) as Record<string, unknown>;
    } catch (e) {
      problems.push({ file: f.path, problem: (e as Error).message });
      continue;
    }
    if (view) {
      views.push({ name: String(body.name ?? view[1]), path: f.path, definition: body });
      continue;
    }
    const stem = structure?.[1] ?? '';
    const parameters = isObject(body.parameters) ? body.parameters : undefined;
    const collName = typeof parameters?.name === 'string' ? parameters.name : undefined;
    if (!parameters || !collName) {
      problems.push({ file: f.path, problem: 'structure file has no parameters.name' });
      continue;
    }
    const hashed = `${collName}_${md5Hex(collName)}`;
    if (stem !== collName && stem !== hashed) {
      problems.push({ file: f.path, problem: `file name does not match collection "${collName}"` });
      continue;
    }
    const parts = (data.get(hashed) ?? data.get(collName) ?? []).sort(byPartNumber);
    data.delete(hashed);
    data.delete(collName);
    if (parts.length === 0) {
      problems.push({
        file: f.path,
        problem: `collection "${collName}" has no data file (${at(`${hashed}.data.json.gz`)})`,
      });
    }
    // Old dumps (before 3.0) kept indexes inside parameters.
    const indexes = Array.isArray(body.indexes)
      ? body.indexes
      : Array.isArray(parameters.indexes)
        ? parameters.indexes
        : [];
    collections.push({
      name: collName,
      type: Number(parameters.type) === 3 ? 'edge' : 'document',
      isSystem: collName.startsWith('_'),
      structurePath: f.path,
      parameters,
      indexes: indexes.filter(isObject),
      dataPaths: parts.map((p) => p.path),
      dataBytes: parts.reduce((sum, p) => sum + p.size, 0),
    });
  }
  for (const parts of data.values()) {
    for (const p of parts) problems.push({ file: p.path, problem: 'data file without a structure file' });
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : 1));
  collections.sort((a, b) => (a.name < b.name ? -1 : 1));
  views.sort((a, b) => (a.name < b.name ? -1 : 1));
  const name = dumpJson?.database ?? (dir || 'unknown');
  return { dir, name, ...(dumpJson ? { dumpJson } : {}), collections, views, problems };
}

function byPartNumber(a: DumpFile, b: DumpFile): number {
  const n = (f: DumpFile) => Number(DATA.exec(f.path.slice(f.path.lastIndexOf('/') + 1))?.[2] ?? -1);
  return n(a) - n(b);
}

async function readText(files: DumpFiles, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await files.open(path)) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
