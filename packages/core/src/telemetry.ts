/**
 * OpenTelemetry tracing. The SDK starts only when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or the traces-specific variable) is set, and is only loaded then (it brings
 * gRPC and protobuf); otherwise the API's no-op tracer is used and spans cost
 * next to nothing. Exporter, protocol and headers come from the standard
 * OTEL_* variables, read by the SDK itself.
 */
import { type Attributes, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { scrubSecrets } from './secrets.js';

export interface Telemetry {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'arangops';

/** Reads process.env, as the SDK itself does for exporter settings. */
export async function startTelemetry(serviceName: string): Promise<Telemetry> {
  const env = process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return { enabled: false, shutdown: async () => {} };
  }
  const { NodeSDK, resources } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    // Chosen, not defaulted: the SDK's process detector exports the command line
    // (process.command_args), and `--set arango.password=…` would leave in every trace.
    // An explicit list also keeps OTEL_NODE_RESOURCE_DETECTORS=process from bringing it back.
    resourceDetectors: [resources.envDetector, resources.hostDetector, resources.osDetector],
    resource: resources.defaultResource().merge(
      resources.resourceFromAttributes({
        'process.pid': process.pid,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
      }),
    ),
    // Metrics are Prometheus' job here, and auto-instrumentation would trace every arangojs socket.
    instrumentations: [],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}

export interface SpanOptions {
  /** Start a new trace instead of a child of the active span: one per scrape of a long-running server. */
  root?: boolean;
}

/** Runs `fn` in an active span; an exception is recorded on the span and rethrown. */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const spanOptions = { attributes, root: options.root === true };
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, spanOptions, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      // Spans leave the process too: the same scrubbing as logs.
      const message = scrubSecrets(e instanceof Error ? e.message : String(e));
      span.recordException({ name: e instanceof Error ? e.name : 'Error', message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      throw e;
    } finally {
      span.end();
    }
  });
}
