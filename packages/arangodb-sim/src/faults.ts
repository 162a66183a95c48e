import type { FailureFault, FaultSnapshot, LatencyFault, MemberStatus } from './types.js';

/** Route patterns are regular expressions matched against `METHOD /path` (path without `/_db/<name>`). */
function matches(route: string, method: string, path: string): boolean {
  return new RegExp(route).test(`${method} ${path}`);
}

/** Fault state shared by the HTTP layer and the `/_sim/faults` API. */
export class FaultState {
  latency: LatencyFault[] = [];
  failures: FailureFault[] = [];
  drops: string[] = [];
  refusing = false;

  latencyFor(method: string, path: string): number {
    let ms = 0;
    for (const l of this.latency) if (matches(l.route, method, path)) ms += l.ms;
    return ms;
  }

  /** Consumes one failure budget of the first matching fault. */
  takeFailure(method: string, path: string): FailureFault | undefined {
    const f = this.failures.find((x) => x.count > 0 && matches(x.route, method, path));
    if (!f) return undefined;
    f.count -= 1;
    return f;
  }

  shouldDrop(method: string, path: string): boolean {
    return this.drops.some((r) => matches(r, method, path));
  }

  clear(): void {
    this.latency = [];
    this.failures = [];
    this.drops = [];
  }

  snapshot(memberStatus: Map<string, MemberStatus>): Omit<FaultSnapshot, 'failedOver' | 'supervisionMode'> {
    return {
      latency: this.latency.map((l) => ({ ...l })),
      failures: this.failures.map((f) => ({ ...f })),
      dropConnections: [...this.drops],
      memberStatus: Object.fromEntries(memberStatus),
      refusing: this.refusing,
    };
  }
}
