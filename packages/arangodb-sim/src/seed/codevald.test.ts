import { aql, Database } from 'arangojs';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import { agents, communications, DEFAULT_SIZES, executions } from './codevald.js';
import { mulberry32 } from './prng.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('CodeValdCortex seed data', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = [...agents({ ...DEFAULT_SIZES, agents: 20 }, NOW)];
    const b = [...agents({ ...DEFAULT_SIZES, agents: 20 }, NOW)];
    const c = [...agents({ ...DEFAULT_SIZES, agents: 20, seed: 7 }, NOW)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('generates lazily, so millions of documents need no array up front', () => {
    const it = executions({ ...DEFAULT_SIZES, executions: 5_000_000 }, NOW);
    const first = it.next().value as Record<string, unknown>;
    expect(first._key).toBe('exec-0000000');
  });

  it('has stale agents, long-running executions and expired or undelivered messages', () => {
    const sizes = DEFAULT_SIZES;
    const stale = [...agents(sizes, NOW)].filter((d) => {
      const m = d.metrics as { lastUpdated: string };
      return d.status === 'running' && NOW - Date.parse(m.lastUpdated) > 3_600_000;
    });
    expect(stale.length).toBeGreaterThanOrEqual(sizes.agents / 25);
    const long = [...executions(sizes, NOW)].filter(
      (d) => d.status === 'running' && NOW - Date.parse(String(d.startTime)) > 6 * 3_600_000,
    );
    expect(long.length).toBeGreaterThanOrEqual(sizes.executions / 40);
    const comms = [...communications(sizes, NOW)];
    expect(comms.filter((d) => Date.parse(String(d.ttl)) < NOW).length).toBe(sizes.communications / 50);
    expect(comms.filter((d) => d.status === 'pending' || d.status === 'failed').length).toBeGreaterThan(0);
    expect(comms.every((d) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(d.ttl)))).toBe(true);
  });

  it('loads into codevaldcortex, plain by default and with the design indexes when asked', async () => {
    const plain = await startSimulator({ seed: { agents: 30, executions: 40, communications: 50 } });
    const schema = await startSimulator({
      seed: { agents: 30, executions: 40, communications: 50, withSchema: true },
    });
    try {
      const db = new Database({ url: plain.url, databaseName: 'codevaldcortex' });
      expect((await db.collection('agents').count()).count).toBe(30);
      expect((await db.collection('agent_communications').properties()).type).toBe(3);
      expect((await db.collection('agents').indexes()).map((i) => i.type)).toEqual(['primary']);
      const edges = await db.query(
        aql`FOR c IN agent_communications FILTER c._from == 'agents/agent-000000' RETURN c._to`,
      );
      expect((await edges.all()).every((to) => String(to).startsWith('agents/'))).toBe(true);
      const withIdx = new Database({ url: schema.url, databaseName: 'codevaldcortex' });
      const types = (await withIdx.collection('agents').indexes()).map((i) => i.type);
      expect(types).toEqual(['primary', 'hash', 'hash', 'skiplist', 'geo']);
      const ttl = (await withIdx.collection('agent_communications').indexes()).find((i) => i.type === 'ttl');
      expect(ttl).toMatchObject({ fields: ['ttl'], expireAfter: 0 });
      expect(schema.state.runTtl()).toBe(1);
    } finally {
      await Promise.all([plain.stop(), schema.stop()]);
    }
  });
});
