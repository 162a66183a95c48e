/**
 * `--listen [host]:port` for the commands that serve (exporter, demo, and later jobs), as
 * Prometheus exporters take `--web.listen-address`. It overrides `exporter.host` and
 * `exporter.port` for that run; without a host the command's own default host is kept.
 */
import { InvalidArgumentError, Option } from 'commander';

export interface ListenAddress {
  /** Undefined for `:port`: the command's default host. */
  host?: string;
  port: number;
}

export function parseListen(value: string): ListenAddress {
  // `[::1]:9101` for IPv6, `host:9101`, or `:9101`.
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new InvalidArgumentError('expected [host]:port, e.g. 127.0.0.1:9101, :9101 or [::1]:9101');
  }
  const host = match[1] ?? match[2];
  return host ? { host, port } : { port };
}

/** The option itself; `defaultHost` says what a bare `:port` binds. */
export function listenOption(defaultHost: string): Option {
  return new Option(
    '--listen <[host]:port>',
    `address to serve on, e.g. 127.0.0.1:9101 or :9101 (host ${defaultHost} when omitted)`,
  ).argParser(parseListen);
}
