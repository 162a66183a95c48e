export { SimError } from './aql/host.js';
export * from './seed/index.js';
export { startSimulator } from './server.js';
export type {
  AuthOptions,
  ClusterMember,
  DeploymentMode,
  FailureFault,
  FaultController,
  FaultSnapshot,
  LatencyFault,
  MemberStatus,
  RequestLogEntry,
  SeedOptions,
  Simulator,
  SimulatorOptions,
  SimulatorState,
} from './types.js';
