import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_FILE } from '../__tests__/conformance/examples.js';
import { SimError } from './host.js';
import { executeQuery, explainQuery, parseQuery } from './index.js';
import { TestHost } from './test-host.js';

type Node = Record<string, unknown> & { type: string };

function products(version?: string) {
  const host = new TestHost(version);
  const coll = host.add(
    'products',
    Array.from({ length: 10 }, (_, i) => ({ _key: `k${i}`, id: i, name: `n${i}`, opt: i % 2 ? i : null })),
  );
  const byId = coll.addIndex(['id'], { name: 'idx_id' });
  const sparse = coll.addIndex(['opt'], { name: 'idx_opt', sparse: true });
  host.add('e', [{ _from: 'products/k1', _to: 'products/k2' }], 'edge');
  return { host, coll, byId, sparse };
}

const types = (host: TestHost, q: string, bind: Record<string, unknown> = {}) =>
  (explainQuery(host, q, bind).plan.nodes as Node[]).map((n) => n.type);

const indexOf = (host: TestHost, q: string, bind: Record<string, unknown> = {}) => {
  const node = (explainQuery(host, q, bind).plan.nodes as Node[]).find((n) => n.type === 'IndexNode');
  return (node?.indexes as { name: string }[] | undefined)?.[0]?.name;
};

describe('index selection', () => {
  const { host } = products();

  it('uses a persistent index for ==, IN and ranges, and removes the covered FILTER', () => {
    expect(types(host, 'FOR p IN products FILTER p.id == 4 RETURN p')).toEqual([
      'SingletonNode',
      'IndexNode',
      'ReturnNode',
    ]);
    expect(indexOf(host, 'FOR p IN products FILTER p.id IN [1, 2] RETURN p')).toBe('idx_id');
    expect(indexOf(host, 'FOR p IN products FILTER p.id > 3 && p.id <= 5 RETURN p')).toBe('idx_id');
    expect(indexOf(host, 'FOR p IN products FILTER 4 == p.id RETURN p')).toBe('idx_id');
    expect(types(host, 'FOR p IN products FILTER p.id == 1 || p.id == 3 RETURN p')).toEqual([
      'SingletonNode',
      'IndexNode',
      'ReturnNode',
    ]);
    expect(
      executeQuery(host, 'FOR p IN products FILTER p.id == 3 OR p.id == 1 RETURN p.id', {}).result,
    ).toEqual([1, 3]);
    expect(indexOf(host, 'FOR p IN products FILTER p.id == 1 || p.name == "x" RETURN p')).toBeUndefined();
  });

  it('an unindexed filter is EnumerateCollectionNode + FilterNode', () => {
    expect(types(host, 'FOR p IN products FILTER p.name == "x" RETURN p')).toEqual([
      'SingletonNode',
      'EnumerateCollectionNode',
      'CalculationNode',
      'FilterNode',
      'ReturnNode',
    ]);
  });

  it('keeps the FILTER when only part of it is covered', () => {
    expect(types(host, 'FOR p IN products FILTER p.id == 1 && p.name == "n1" RETURN p')).toEqual([
      'SingletonNode',
      'IndexNode',
      'CalculationNode',
      'FilterNode',
      'ReturnNode',
    ]);
  });

  it('sparse indexes only when the condition excludes null', () => {
    expect(indexOf(host, 'FOR p IN products FILTER p.opt == 3 RETURN p')).toBe('idx_opt');
    expect(indexOf(host, 'FOR p IN products FILTER p.opt == null RETURN p')).toBeUndefined();
    expect(indexOf(host, 'FOR p IN products FILTER p.opt < 3 RETURN p')).toBeUndefined();
    expect(indexOf(host, 'FOR p IN products FILTER p.opt == @v RETURN p', { v: null })).toBeUndefined();
  });

  it('honours indexHint when the hinted index can serve the query, and forceIndexHint otherwise fails (1577)', () => {
    const { host: hinted, coll } = products();
    coll.addIndex(['id', 'name'], { name: 'idx_id_name' });
    expect(indexOf(hinted, 'FOR p IN products FILTER p.id == 4 RETURN p')).toBe('idx_id');
    expect(
      indexOf(hinted, "FOR p IN products OPTIONS {indexHint: 'idx_id_name'} FILTER p.id == 4 RETURN p"),
    ).toBe('idx_id_name');
    const err = (() => {
      try {
        explainQuery(
          hinted,
          "FOR p IN products OPTIONS {indexHint: 'idx_opt', forceIndexHint: true} FILTER p.id == 4 RETURN p",
          {},
        );
      } catch (e) {
        return e as SimError;
      }
      throw new Error('expected 1577');
    })();
    expect([err.errorNum, err.message]).toEqual([
      1577,
      'AQL: could not use forced index hint (while parsing)',
    ]);
  });

  it('primary index for _key, edge index for _from/_to', () => {
    expect(indexOf(host, 'FOR p IN products FILTER p._key == "k1" RETURN p')).toBe('primary');
    expect(indexOf(host, 'FOR x IN e FILTER x._from == "products/k1" RETURN x')).toBe('edge');
  });

  it('uses an index for SORT when no filter needs one', () => {
    expect(types(host, 'FOR p IN products SORT p.id DESC RETURN p')).toEqual([
      'SingletonNode',
      'IndexNode',
      'ReturnNode',
    ]);
    expect(types(host, 'FOR p IN products SORT p.name RETURN p')).toContain('SortNode');
    const plan = explainQuery(host, 'FOR p IN products SORT p.id RETURN p', {}).plan;
    expect(plan.rules).toContain('use-index-for-sort');
  });

  it('execution matches the plan: index order, scannedIndex vs scannedFull', () => {
    const sorted = executeQuery(host, 'FOR p IN products SORT p.id DESC LIMIT 3 RETURN p.id', {});
    expect(sorted.result).toEqual([9, 8, 7]);
    const indexed = executeQuery(host, 'FOR p IN products FILTER p.id IN [2, 5] RETURN p._key', {});
    expect(indexed.result).toEqual(['k2', 'k5']);
    expect(indexed.stats).toMatchObject({ scannedIndex: 2, scannedFull: 0, filtered: 0 });
    const full = executeQuery(host, 'FOR p IN products FILTER p.name == "n3" RETURN p._key', {});
    expect(full.stats).toMatchObject({ scannedIndex: 0, scannedFull: 10, filtered: 9 });
    const sparse = executeQuery(host, 'FOR p IN products FILTER p.opt >= 5 RETURN p.opt', {});
    expect(sparse.result).toEqual([5, 7, 9]);
    const join = executeQuery(
      host,
      'FOR x IN [3, 1, 3] FOR p IN products FILTER p.id == x RETURN p._key',
      {},
    );
    expect(join.result).toEqual(['k3', 'k1', 'k3']);
    expect(join.stats).toMatchObject({ scannedIndex: 3, scannedFull: 0 });
    const dupIn = executeQuery(host, 'FOR p IN products FILTER p.id IN [4, 2, 4, "4"] RETURN p.id', {});
    expect(dupIn.result).toEqual([2, 4]);
  });
});

interface Recorded {
  id: string;
  path: string;
  method: string;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
}

const recorded = JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as Recorded[];

/** Structural shape: keys and JSON types, recursively (first array element stands for all). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return v === null ? 'null' : typeof v;
}

function recordedHost(version: string) {
  const host = new TestHost(version);
  const coll = host.add(
    'products',
    Array.from({ length: 10 }, (_, i) => ({ _key: `k${i}`, id: i, name: `n${i}` })),
  );
  coll.addIndex(['id']);
  host.add('documents', [{ _key: 'test', arr: [1, 2, 3] }]);
  return host;
}

describe('recorded /_api/explain examples', () => {
  // Examples that restrict optimizer rules (`optimizer.rules: ["-all", …]`) are left out: rule selection is not modelled.
  const explains = recorded.filter(
    (r) =>
      r.path === '/_api/explain' &&
      r.status === 200 &&
      !r.id.startsWith('3.12.0/') &&
      !r.id.startsWith('3.11.4/') &&
      !(r.requestBody as { options?: { optimizer?: unknown } }).options?.optimizer,
  );
  it.each(explains.map((r) => [r.id, r] as const))('%s', (_id, r) => {
    const body = r.requestBody as { query: string };
    const version = r.id.split('/')[0] as string;
    const result = explainQuery(recordedHost(version), body.query, {});
    const response = r.responseBody as { plan?: { nodes: Node[] }; plans?: { nodes: Node[] }[] };
    const expected = response.plan ?? (response.plans?.[0] as { nodes: Node[] });
    const actual = result.plan.nodes as Node[];
    expect(actual.map((n) => n.type)).toEqual(expected.nodes.map((n) => n.type));
    actual.forEach((node, i) => {
      expect(shape(node)).toEqual(shape(expected.nodes[i]));
    });
  });

  it('the 1551 example fails with the recorded message', () => {
    const r = recorded.find((x) => x.id === '3.12/RestExplainInvalid') as Recorded;
    const body = r.requestBody as { query: string };
    try {
      explainQuery(recordedHost('3.12'), body.query, {});
      throw new Error('expected failure');
    } catch (err) {
      const e = err as SimError;
      expect({ code: e.code, errorNum: e.errorNum, errorMessage: e.message }).toMatchObject({
        code: (r.responseBody as { code: number }).code,
        errorNum: (r.responseBody as { errorNum: number }).errorNum,
        errorMessage: (r.responseBody as { errorMessage: string }).errorMessage,
      });
    }
  });
});

describe('recorded /_api/query and /_api/cursor examples', () => {
  const queries = recorded.filter(
    (r) =>
      (r.path === '/_api/query' || r.path === '/_api/cursor') &&
      r.method === 'POST' &&
      typeof (r.requestBody as { query?: unknown } | null)?.query === 'string' &&
      !/SLEEP/i.test((r.requestBody as { query: string }).query),
  );
  it.each(queries.map((r) => [r.id, r] as const))('%s', (_id, r) => {
    const body = r.requestBody as {
      query: string;
      bindVars?: Record<string, unknown>;
      memoryLimit?: number;
      options?: { fullCount?: boolean };
    };
    const response = r.responseBody as Record<string, unknown>;
    const version = r.id.split('/')[0] as string;
    const host = recordedHost(version);
    const run = () =>
      r.path === '/_api/query'
        ? parseQuery(body.query, version)
        : executeQuery(host, body.query, body.bindVars ?? {}, {
            ...(body.memoryLimit !== undefined && { memoryLimit: body.memoryLimit }),
            ...(body.options?.fullCount && { fullCount: true }),
          });
    if (response.error === true) {
      expect(run).toThrow(SimError);
      try {
        run();
      } catch (err) {
        const e = err as SimError;
        expect([e.code, e.errorNum, e.message]).toEqual([
          response.code,
          response.errorNum,
          response.errorMessage,
        ]);
      }
      return;
    }
    const out = run() as unknown as Record<string, unknown>;
    if (r.path === '/_api/query') {
      expect(out.collections).toEqual(response.collections);
      expect(out.bindVars).toEqual(response.bindVars);
      expect(out.ast).toEqual(response.ast);
      return;
    }
    const result = out.result as unknown[];
    const expected = response.result as unknown[];
    // The recorded product data is not reproduced; batched responses hold only the first batch.
    if (!/products/.test(body.query)) {
      const withoutRevs = (v: unknown[]) =>
        v.map((x) => (typeof x === 'object' && x !== null ? { ...x, _rev: '' } : x));
      expect(withoutRevs(result.slice(0, expected.length))).toEqual(withoutRevs(expected));
    }
    if (body.options?.fullCount) {
      expect(out.fullCount).toBe((response.extra as { stats: { fullCount: number } }).stats.fullCount);
    }
  });
});

describe('explain of other statements', () => {
  const { host } = products();
  it('splices subqueries between SubqueryStartNode and SubqueryEndNode', () => {
    const plan = explainQuery(
      host,
      'FOR x IN [1] LET s = (FOR p IN products FILTER p.id == x RETURN p.name) RETURN s',
      {},
    ).plan;
    expect((plan.nodes as Node[]).map((n) => n.type)).toEqual([
      'SingletonNode',
      'CalculationNode',
      'EnumerateListNode',
      'SubqueryStartNode',
      'IndexNode',
      'SubqueryEndNode',
      'ReturnNode',
    ]);
    expect(plan.rules).toEqual(expect.arrayContaining(['use-indexes', 'splice-subqueries']));
  });

  it('COLLECT is a hash CollectNode followed by a SortNode; WITH COUNT alone is a count collect', () => {
    // 3.12 reads p.name straight from the scan (optimize-projections), so the group calculation disappears.
    expect(types(host, 'FOR p IN products COLLECT n = p.name WITH COUNT INTO c RETURN [n, c]')).toEqual([
      'SingletonNode',
      'EnumerateCollectionNode',
      'CollectNode',
      'SortNode',
      'CalculationNode',
      'ReturnNode',
    ]);
    const count = (
      explainQuery(host, 'FOR p IN products COLLECT WITH COUNT INTO c RETURN c', {}).plan.nodes as Node[]
    ).find((n) => n.type === 'CollectNode');
    expect(count?.collectOptions).toEqual({ method: 'count' });
  });

  it('modification queries name their write collection and node', () => {
    const plan = explainQuery(host, 'FOR p IN products UPDATE p WITH {x: 1} IN products RETURN NEW', {}).plan;
    expect(plan.isModificationQuery).toBe(true);
    expect(plan.collections).toEqual([{ name: 'products', type: 'write' }]);
    const update = (plan.nodes as Node[]).find((n) => n.type === 'UpdateNode');
    expect(update).toMatchObject({ collection: 'products', outVariableNew: { name: 'NEW' } });
  });

  it('RETURN DISTINCT is a distinct CollectNode', () => {
    const nodes = explainQuery(host, 'FOR p IN products RETURN DISTINCT p.name', {}).plan.nodes as Node[];
    expect(nodes.map((n) => n.type)).toEqual([
      'SingletonNode',
      'EnumerateCollectionNode',
      'CollectNode',
      'ReturnNode',
    ]);
    expect(nodes[2]).toMatchObject({ isDistinctCommand: true });
  });

  it('constant-false FILTER becomes NoResultsNode; constant-true FILTER disappears', () => {
    expect(types(host, 'FOR p IN products FILTER 1 == 2 RETURN p')).toContain('NoResultsNode');
    expect(types(host, 'FOR p IN products FILTER true RETURN p')).not.toContain('FilterNode');
  });

  it('3.11 plans omit 3.12-only fields', () => {
    const old = products('3.11.14').host;
    const plan = explainQuery(old, 'FOR p IN products RETURN p', {}).plan as unknown as Record<
      string,
      unknown
    >;
    expect(plan).not.toHaveProperty('asyncPrefetchNodes');
    const [singleton, scan] = plan.nodes as Node[];
    expect(singleton).not.toHaveProperty('bindParameterVariables');
    expect(scan).toMatchObject({ database: '_system' });
  });
});

describe('profile', () => {
  it('reports rows per plan node', () => {
    const { host } = products();
    const r = executeQuery(
      host,
      'FOR p IN products FILTER p.name != "n1" LIMIT 5 RETURN p._key',
      {},
      { profile: true },
    );
    const nodes = r.stats.nodes ?? [];
    const byType = (t: string) =>
      nodes[
        (
          explainQuery(host, 'FOR p IN products FILTER p.name != "n1" LIMIT 5 RETURN p._key', {}).plan
            .nodes as Node[]
        ).findIndex((n) => n.type === t)
      ];
    expect(byType('LimitNode')?.items).toBe(5);
    expect(byType('ReturnNode')?.items).toBe(5);
    expect(byType('FilterNode')).toMatchObject({ items: 5, filtered: 1 });
  });
});

describe('sort-limit', () => {
  const { host } = products();
  it('a SORT followed by LIMIT keeps only offset+count rows (constrained heap), stable for ties', () => {
    const q =
      'FOR x IN [{k: 2, i: 1}, {k: 1, i: 2}, {k: 2, i: 3}, {k: 3, i: 4}, {k: 1, i: 5}] SORT x.k DESC LIMIT 1, 3 RETURN x.i';
    expect(executeQuery(host, q, {}).result).toEqual([1, 3, 2]);
    const sort = (explainQuery(host, q, {}).plan.nodes as Node[]).find((n) => n.type === 'SortNode');
    expect(sort).toMatchObject({ limit: 4, strategy: 'constrained-heap' });
    expect(explainQuery(host, q, {}).plan.rules).toContain('sort-limit');
  });
  it('is not applied when the LIMIT reports fullCount', () => {
    const r = executeQuery(
      host,
      'FOR p IN products SORT p.name DESC LIMIT 2 RETURN p.name',
      {},
      { fullCount: true },
    );
    expect(r.result).toEqual(['n9', 'n8']);
    expect(r.fullCount).toBe(10);
  });
});

describe('sorted COLLECT', () => {
  it('a COLLECT after a SORT on its keys (served by an index) is a sorted collect without a trailing SortNode', () => {
    const host = new TestHost();
    const agents = host.add('agents', [
      { type: 'b', status: 'x' },
      { type: 'a', status: 'y' },
      { type: 'a', status: 'x' },
    ]);
    agents.addIndex(['type', 'status', 'createdAt'], { name: 'idx_agents_type_status_createdAt' });
    const q =
      'FOR a IN agents SORT a.type, a.status COLLECT type = a.type, status = a.status WITH COUNT INTO value RETURN { status, type, value }';
    const nodes = explainQuery(host, q, {}).plan.nodes as Node[];
    expect(nodes.map((n) => n.type)).toEqual([
      'SingletonNode',
      'IndexNode',
      'CollectNode',
      'CalculationNode',
      'ReturnNode',
    ]);
    expect(nodes[2]?.collectOptions).toEqual({ method: 'sorted' });
    expect(executeQuery(host, q, {}).result).toEqual([
      { status: 'x', type: 'a', value: 1 },
      { status: 'y', type: 'a', value: 1 },
      { status: 'x', type: 'b', value: 1 },
    ]);
  });
});
