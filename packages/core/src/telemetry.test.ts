import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTelemetry, withSpan } from './telemetry.js';

interface OtlpTraces {
  resourceSpans: {
    scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] }[];
  }[];
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('telemetry', () => {
  it('is a no-op without an OTLP endpoint, and spans still run their function', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
    const telemetry = await startTelemetry('arangops-test');
    expect(telemetry.enabled).toBe(false);
    expect(await withSpan('noop', { a: 1 }, async () => 42)).toBe(42);
    await expect(withSpan('noop', {}, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await telemetry.shutdown();
  });

  it('exports spans over OTLP/HTTP when the endpoint is set', async () => {
    const bodies: Buffer[] = [];
    const paths: string[] = [];
    const receiver = createServer((req, res) => {
      paths.push(req.url ?? '');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const { port } = receiver.address() as AddressInfo;
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${port}`);
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    const telemetry = await startTelemetry('arangops-test');
    try {
      expect(telemetry.enabled).toBe(true);
      await withSpan('arangops.test.run', { 'arangops.job': 'drift' }, async () => {
        await withSpan('arangops.test.child', {}, async () => {});
        await withSpan('arangops.test.scrape', {}, async () => {}, { root: true });
      });
    } finally {
      await telemetry.shutdown();
      receiver.close();
    }
    expect(paths).toContain('/v1/traces');
    const sent = bodies.map((b) => b.toString()).join('\n');
    expect(sent).toContain('arangops.test.run');
    expect(sent).toContain('arangops.job');
    const spans = bodies
      .flatMap((b) => (JSON.parse(b.toString()) as OtlpTraces).resourceSpans)
      .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName['arangops.test.child']!.traceId).toBe(byName['arangops.test.run']!.traceId);
    expect(byName['arangops.test.child']!.parentSpanId).toBe(byName['arangops.test.run']!.spanId);
    expect(byName['arangops.test.scrape']!.traceId).not.toBe(byName['arangops.test.run']!.traceId);
  });
});
