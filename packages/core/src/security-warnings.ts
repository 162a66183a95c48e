/**
 * Warnings about settings that work but expose something, shared by the roles
 * that log them at start and by `config check`.
 */
import type { Logger } from './logger.js';

export const INSECURE_TLS_WARNING = 'arango.tls.insecure is set: server certificates are not verified';

/**
 * What an operator should know about how /metrics is exposed: open to every
 * network without auth or TLS, or a password sent in clear text. Also shown by
 * `config check`.
 */
export function exposureWarnings(options: { host?: string; basicAuth?: object; tls?: object }): string[] {
  const host = options.host ?? '0.0.0.0';
  const loopback = /^(127\.|::1$|localhost$|\[::1\]$)/.test(host);
  const warnings: string[] = [];
  if (!loopback && !options.basicAuth && !options.tls) {
    warnings.push(
      `/metrics is served on ${host} without authentication or TLS: anyone who reaches the port reads it (set exporter.basicAuth and exporter.tls, or bind to a private address)`,
    );
  }
  if (options.basicAuth && !options.tls) {
    warnings.push('basic auth over plain HTTP sends the /metrics password in clear text: set exporter.tls');
  }
  return warnings;
}

/**
 * Security warnings must survive `--log-level error`: they are logged at warn
 * through a child that shows warn whatever the configured level (but not
 * `silent`, which asks for no logs at all).
 */
export function warnSecurity(logger: Logger, warnings: string[]): void {
  if (warnings.length === 0 || logger.level === 'silent') return;
  const showWarn = logger.levels.values[logger.level]! > logger.levels.values.warn!;
  const security = logger.child({ security: true }, showWarn ? { level: 'warn' } : {});
  for (const warning of warnings) security.warn(warning);
}
