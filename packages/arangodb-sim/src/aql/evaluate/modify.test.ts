import { describe, expect, it } from 'vitest';
import { SimError } from '../host.js';
import { executeQuery } from '../index.js';
import { TestHost } from '../test-host.js';

function setup(version?: string) {
  const host = new TestHost(version);
  host.add('products', [
    { _key: 'p1', n: 1, tags: { a: 1 } },
    { _key: 'p2', n: 2 },
  ]);
  host.add('documents', [{ _key: 'test', arr: [1, 2, 3] }]);
  return host;
}

function failure(fn: () => unknown): SimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimError) return err;
    throw err;
  }
  throw new Error('expected a SimError');
}

describe('writes', () => {
  it('INSERT ... RETURN NEW, and assertWritable is consulted first', () => {
    const host = setup();
    const r = executeQuery(
      host,
      'FOR i IN 1..2 INSERT {_key: CONCAT("n", i), i} INTO products RETURN NEW._key',
      {},
    );
    expect(r.result).toEqual(['n1', 'n2']);
    expect(r.stats.writesExecuted).toBe(2);
    expect(host.writeChecks).toEqual(['products']);
    host.readOnly = true;
    const err = failure(() => executeQuery(host, 'INSERT {} INTO products', {}));
    expect([err.code, err.errorNum]).toEqual([403, 1004]);
  });

  it('UPDATE key WITH patch (the recorded RestCursorModifyArray query)', () => {
    const host = setup();
    const r = executeQuery(
      host,
      'FOR doc IN documents FILTER doc._key == @myKey UPDATE doc._key WITH { arr: PUSH(doc.arr, @value) } IN documents RETURN NEW',
      { myKey: 'test', value: 42 },
    );
    expect(r.result).toMatchObject([{ _key: 'test', _id: 'documents/test', arr: [1, 2, 3, 42] }]);
    expect(r.stats).toMatchObject({ writesExecuted: 1, scannedIndex: 1, scannedFull: 0 });
  });

  it('UPDATE doc IN coll with OLD, keepNull:false, REPLACE', () => {
    const host = setup();
    expect(
      executeQuery(
        host,
        'FOR p IN products UPDATE {_key: p._key, n: null, m: 1} IN products OPTIONS {keepNull: false} RETURN [OLD.n, NEW]',
        {},
      ).result,
    ).toMatchObject([
      [1, { _key: 'p1', m: 1, tags: { a: 1 } }],
      [2, { _key: 'p2', m: 1 }],
    ]);
    const replaced = executeQuery(host, 'REPLACE "p1" WITH {x: 1} IN products RETURN NEW', {}).result[0];
    expect(replaced).toMatchObject({ _key: 'p1', x: 1 });
    expect(replaced).not.toHaveProperty('m');
  });

  it('REMOVE, ignoreErrors, and a failing REMOVE names its plan node', () => {
    const host = setup();
    expect(executeQuery(host, 'FOR p IN products REMOVE p IN products RETURN OLD._key', {}).result).toEqual([
      'p1',
      'p2',
    ]);
    const ignored = executeQuery(host, "REMOVE 'bar' IN products OPTIONS { ignoreErrors: true }", {});
    expect(ignored.result).toEqual([]);
    expect(ignored.stats).toMatchObject({ writesExecuted: 0, writesIgnored: 1 });
    const err = failure(() => executeQuery(host, "REMOVE 'foo' IN products", {}));
    expect([err.code, err.errorNum, err.message]).toEqual([
      404,
      1202,
      'AQL: document not found [node #3: RemoveNode] (while executing)',
    ]);
    const old = failure(() => executeQuery(setup('3.11.14'), "REMOVE 'foo' IN products", {}));
    expect(old.message).toBe('AQL: document not found (while executing)');
  });

  it('INSERT conflicts surface 1210 unless overwriteMode says otherwise', () => {
    const host = setup();
    const err = failure(() => executeQuery(host, 'INSERT {_key: "p1"} INTO products', {}));
    expect(err.errorNum).toBe(1210);
    const r = executeQuery(
      host,
      'INSERT {_key: "p1", z: 1} INTO products OPTIONS {overwriteMode: "update"} RETURN NEW',
      {},
    );
    expect(r.result).toMatchObject([{ _key: 'p1', n: 1, z: 1 }]);
  });

  it('UPSERT updates a match or inserts', () => {
    const host = setup();
    const q =
      'UPSERT {n: @n} INSERT {n: @n, hits: 1} UPDATE {hits: OLD.hits + 1} IN products RETURN [OLD == null, NEW.hits]';
    expect(executeQuery(host, q, { n: 7 }).result).toEqual([[true, 1]]);
    expect(executeQuery(host, q, { n: 7 }).result).toEqual([[false, 2]]);
    expect(
      executeQuery(host, 'UPSERT {_key: "p2"} INSERT {} REPLACE {k: 1} IN products RETURN NEW', {}).result,
    ).toMatchObject([{ _key: 'p2', k: 1 }]);
  });

  it('reading a collection after modifying it is error 1579', () => {
    const host = setup();
    const err = failure(() =>
      executeQuery(host, 'INSERT {} INTO products LET x = (FOR p IN products RETURN p) RETURN x', {}),
    );
    expect([err.errorNum, err.message]).toEqual([
      1579,
      "AQL: access after data-modification by collection 'products' (while executing)",
    ]);
  });
});
