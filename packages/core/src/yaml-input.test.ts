import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { InputError } from './errors.js';
import { MAX_INPUT_FILE_BYTES, parseYaml, readInputFile } from './yaml-input.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('YAML input files (config, profile, metrics file)', () => {
  it('name the file of every read failure: missing, a folder, too large', () => {
    const dir = tempDir('yaml-input');
    expect(messageOf(() => readInputFile(join(dir, 'none.yaml'), 'profile'))).toBe(
      `${dir}/none.yaml: cannot read profile: ENOENT`,
    );
    mkdirSync(join(dir, 'folder.yaml'));
    expect(messageOf(() => readInputFile(join(dir, 'folder.yaml'), 'profile'))).toBe(
      `${dir}/folder.yaml: cannot read profile: EISDIR`,
    );
    writeFileSync(join(dir, 'big.yaml'), Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 0x20));
    expect(messageOf(() => readInputFile(join(dir, 'big.yaml'), 'profile'))).toMatch(
      /big\.yaml: profile is 4194305 bytes; the limit is 4194304$/,
    );
  });

  it('stop an alias bomb with the file named, and report a duplicate key with its line', () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    expect(messageOf(() => parseYaml(laughs.join('\n'), 'p.yaml'))).toBe(
      'p.yaml: invalid YAML: Excessive alias count indicates a resource exhaustion attack',
    );
    expect(messageOf(() => parseYaml('a:\n  b: 1\n  c: 2\n  b: 3\n', 'p.yaml'))).toBe(
      'p.yaml:4:3: duplicate key "b"',
    );
  });

  it('keep a __proto__ key an own property of the parsed value, never the prototype', () => {
    const { value } = parseYaml('__proto__:\n  polluted: yes\n', 'p.yaml');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
