/** Public types of the simulator. */

export type DeploymentMode = 'single' | 'cluster';

export interface AuthOptions {
  /** Users and their passwords; `root` is a superuser with rw on everything. */
  users?: Record<string, string>;
  /** HS256 secret: tokens signed with it are accepted (superuser `server_id` tokens and user tokens). */
  jwtSecret?: string;
}

export interface SeedOptions {
  agents?: number;
  executions?: number;
  communications?: number;
  seed?: number;
  /** Create the design's indexes too (by default collections are plain: bootstrap creates indexes). */
  withSchema?: boolean;
  /** Database to load into; default `codevaldcortex`. */
  database?: string;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  mode?: DeploymentMode;
  /** Any 3.11.x or 3.12.x version string; default 3.12.10. */
  version?: string;
  auth?: AuthOptions | false;
  seed?: boolean | SeedOptions;
  /** Milliseconds since the epoch; drives revisions, TTL expiry, cursor expiry and health timestamps. */
  clock?: () => number;
  /** How often the TTL background thread runs; real servers default to 30 s. */
  ttlIntervalMs?: number;
  /**
   * Cluster mode: how long after a DB-Server is marked FAILED the supervision moves leadership of its
   * shards to a follower (default 15 000 ms, simulator clock); `faults.failover()` does it at once.
   */
  failoverDelayMs?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the `/_db/<name>` prefix. */
  path: string;
  /** The raw query string without `?` (`''` when none), e.g. `collection=c&type=list`. */
  query: string;
  database: string;
  status: number;
  user?: string;
}

export interface LatencyFault {
  /** Matched against `METHOD path` (path without `/_db/<name>`), e.g. `/_api/cursor` or `^POST /_api/document`. */
  route: string;
  ms: number;
}

export interface FailureFault {
  route: string;
  /** How many matching requests fail; afterwards requests pass again. */
  count: number;
  status: number;
  errorNum: number;
  errorMessage?: string;
}

export type MemberStatus = 'GOOD' | 'BAD' | 'FAILED';

export interface FaultSnapshot {
  latency: LatencyFault[];
  failures: FailureFault[];
  memberStatus: Record<string, MemberStatus>;
  /** FAILED DB-Servers whose shards' leadership moved to followers. */
  failedOver: string[];
  /** Supervision/State/Mode. */
  supervisionMode: 'Normal' | 'Maintenance';
  dropConnections: string[];
  refusing: boolean;
}

export interface FaultController {
  addLatency(route: string, ms: number): void;
  failNext(route: string, count: number, status: number, errorNum: number, errorMessage?: string): void;
  /** Mark a cluster member (id such as `PRMR-…` or short name such as `DBServer0002`) BAD or FAILED. */
  setMemberStatus(member: string, status: MemberStatus): void;
  /**
   * Completes the failover of a FAILED DB-Server now instead of after `failoverDelayMs`: its shards
   * with an in-sync follower (replicationFactor >= 2) become reachable again.
   */
  failover(member: string): void;
  /**
   * Puts the cluster's supervision into maintenance mode for `seconds` (as `PUT
   * /_admin/cluster/maintenance` does; 0 ends it). No automatic failover happens meanwhile.
   */
  setSupervisionMaintenance(seconds: number): void;
  /** Destroy the socket after writing part of the response body for requests matching the route. */
  dropConnection(route: string): void;
  /** Close the listening socket: new connections are refused until `acceptConnections()`. */
  refuseConnections(): Promise<void>;
  /** Reopen the listening socket on the same port. */
  acceptConnections(): Promise<void>;
  reset(): Promise<void>;
  snapshot(): FaultSnapshot;
}

export interface ClusterMember {
  id: string;
  shortName?: string;
  role: 'Agent' | 'DBServer' | 'Coordinator';
  endpoint: string;
}

export interface SimulatorState {
  readonly requestLog: RequestLogEntry[];
  readonly members: ClusterMember[];
  /** Names of existing databases. */
  databases(): string[];
  /** Document count of a collection, undefined when absent. */
  count(database: string, collection: string): number | undefined;
  /** Run the TTL sweep now (the background timer calls the same); returns removed documents. */
  runTtl(): number;
  clearRequestLog(): void;
}

export interface Simulator {
  url: string;
  port: number;
  version: string;
  mode: DeploymentMode;
  faults: FaultController;
  state: SimulatorState;
  stop(): Promise<void>;
}
