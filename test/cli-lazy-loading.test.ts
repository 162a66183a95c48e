/**
 * Starting the CLI loads only what every command needs; the engines (schema,
 * exporter), the simulator, express and the OpenTelemetry SDK are imported
 * dynamically by the commands that use them. This walks the static import
 * graph from the CLI's entry point, the way Node.js loads it at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Workspace packages by name: a subpath resolves through the package's exports map, to its source. */
function workspaceEntry(specifier: string): string | undefined {
  const match = /^@arangops\/([^/]+)(\/.*)?$/.exec(specifier);
  if (!match) return undefined;
  const dir = join(ROOT, 'packages', match[1]!);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { '@arangops/source': string }>;
  };
  const entry = pkg.exports[`.${match[2] ?? ''}`];
  return entry ? join(dir, entry['@arangops/source']) : undefined;
}

/** Every bare package a module graph imports statically (type-only imports erased). */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, clause, specifier] of source.matchAll(
      /^(?:import|export)\s+([^'";]*?)\s*from\s+'([^']+)'/gm,
    )) {
      if (/^type\s/.test(clause!) || clause === '') continue;
      if (specifier!.startsWith('.')) {
        const ts = resolve(dirname(file), specifier!.replace(/\.js$/, '.ts'));
        if (existsSync(ts)) visit(ts);
        continue;
      }
      if (specifier!.startsWith('node:')) continue;
      const local = workspaceEntry(specifier!);
      packages.add(specifier!);
      if (local) visit(local);
    }
  };
  visit(entry);
  return packages;
}

describe('what the CLI loads at start', () => {
  it('leaves the engines, the simulator, express, the AWS SDKs and the OpenTelemetry SDK to the commands that use them', () => {
    const loaded = staticPackages(join(ROOT, 'packages/cli/src/bin.ts'));
    // The walk itself works: these are what every command needs.
    expect(loaded).toContain('@arangops/core');
    expect(loaded).toContain('commander');
    for (const lazy of [
      '@arangops/schema',
      '@arangops/exporter',
      '@arangops/arangodb-sim',
      '@opentelemetry/sdk-node',
      'express',
      'ajv',
      'prom-client',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-kms',
      '@aws-crypto/client-node',
    ]) {
      expect(loaded, lazy).not.toContain(lazy);
    }
  });

  it('ships the simulator as an optional dependency: a production install leaves it out', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    expect(pkg.dependencies).not.toHaveProperty('@arangops/arangodb-sim');
    expect(pkg.optionalDependencies).toHaveProperty('@arangops/arangodb-sim');
  });
});
