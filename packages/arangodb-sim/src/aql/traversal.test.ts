import { describe, expect, it } from 'vitest';
import { executeQuery } from './index.js';
import { TestHost } from './test-host.js';

/** a → b → c → a (cycle), a → d; knows edges. */
function setup() {
  const host = new TestHost();
  host.add(
    'v',
    ['a', 'b', 'c', 'd'].map((k) => ({ _key: k })),
  );
  const edge = (f: string, t: string) => ({ _key: `${f}${t}`, _from: `v/${f}`, _to: `v/${t}` });
  host.add('e', [edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('a', 'd')], 'edge');
  host.graphs.set('g', { name: 'g', edgeCollections: ['e'] });
  return host;
}

const keys = (host: TestHost, q: string) => executeQuery(host, q, {}).result;

describe('traversal', () => {
  const host = setup();

  it('OUTBOUND depth-first, default depth 1..1', () => {
    expect(keys(host, "FOR x IN OUTBOUND 'v/a' e RETURN x._key")).toEqual(['b', 'd']);
    expect(keys(host, "FOR x IN 1..3 OUTBOUND 'v/a' e RETURN x._key")).toEqual(['b', 'c', 'a', 'd']);
  });

  it('depth 0 includes the start vertex; min depth filters shallow vertices', () => {
    expect(keys(host, "FOR x IN 0..1 OUTBOUND 'v/a' e RETURN x._key")).toEqual(['a', 'b', 'd']);
    expect(keys(host, "FOR x IN 2..2 OUTBOUND 'v/a' e RETURN x._key")).toEqual(['c']);
  });

  it('INBOUND and ANY', () => {
    expect(keys(host, "FOR x IN 1 INBOUND 'v/a' e RETURN x._key")).toEqual(['c']);
    expect(keys(host, "FOR x IN 1 ANY 'v/a' e RETURN x._key")).toEqual(['b', 'd', 'c']);
  });

  it('edges and paths', () => {
    expect(
      keys(host, "FOR x, ed, p IN 2 OUTBOUND 'v/a' e RETURN [ed._key, p.vertices[*]._key, p.edges[*]._key]"),
    ).toEqual([['bc', ['a', 'b', 'c'], ['ab', 'bc']]]);
  });

  it('uniqueness: edges unique per path by default, vertices when asked', () => {
    // With path-unique edges the cycle a→b→c→a is walked once and stops at depth 4 (edge ab reused).
    expect(keys(host, "FOR x IN 4 OUTBOUND 'v/a' e RETURN x._key")).toEqual(['d']);
    expect(
      keys(host, "FOR x IN 1..4 OUTBOUND 'v/a' e OPTIONS {uniqueVertices: 'path'} RETURN x._key"),
    ).toEqual(['b', 'c', 'd']);
  });

  it('breadth-first order and global vertex uniqueness', () => {
    expect(keys(host, "FOR x IN 1..2 ANY 'v/b' e OPTIONS {order: 'bfs'} RETURN x._key")).toEqual([
      'c',
      'a',
      'a',
      'd',
      'c',
    ]);
    expect(
      keys(host, "FOR x IN 1..2 ANY 'v/b' e OPTIONS {bfs: true, uniqueVertices: 'global'} RETURN x._key"),
    ).toEqual(['c', 'a', 'd']);
  });

  it('GRAPH name, start as document, LIMIT stops early', () => {
    expect(keys(host, "FOR s IN v FILTER s._key == 'b' FOR x IN OUTBOUND s GRAPH 'g' RETURN x._key")).toEqual(
      ['c'],
    );
    expect(keys(host, "FOR x IN 1..3 OUTBOUND 'v/a' e LIMIT 2 RETURN x._key")).toEqual(['b', 'c']);
  });

  it('unknown graph is 1924', () => {
    expect(() => executeQuery(host, "FOR x IN OUTBOUND 'v/a' GRAPH 'nope' RETURN x", {})).toThrow(
      /graph 'nope' not found/,
    );
  });
});
