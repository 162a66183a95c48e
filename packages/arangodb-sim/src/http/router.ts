import { SimError } from '../aql/host.js';
import type { Ctx } from './context.js';
import type { Reply } from './reply.js';

export type Handler = (ctx: Ctx, params: Record<string, string>) => Reply | Promise<Reply>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** Segment router: `:name` captures one segment, a trailing `*` captures the rest into `rest`. */
export class Router {
  private readonly routes: Route[] = [];

  on(methods: string | string[], pattern: string, handler: Handler): this {
    const parts = pattern.split('/').filter(Boolean);
    for (const method of Array.isArray(methods) ? methods : [methods])
      this.routes.push({ method, parts, handler });
    return this;
  }

  private match(route: Route, segments: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < route.parts.length; i++) {
      const part = route.parts[i] as string;
      if (part === '*') {
        params.rest = segments.slice(i).join('/');
        return params;
      }
      const seg = segments[i];
      if (seg === undefined) return undefined;
      if (part.startsWith(':')) params[part.slice(1)] = seg;
      else if (part !== seg) return undefined;
    }
    return route.parts.length === segments.length ? params : undefined;
  }

  resolve(
    method: string,
    segments: string[],
    path: string,
  ): { handler: Handler; params: Record<string, string> } {
    let pathKnown = false;
    let headFallback: { handler: Handler; params: Record<string, string> } | undefined;
    for (const r of this.routes) {
      const params = this.match(r, segments);
      if (!params) continue;
      if (r.method === method) return { handler: r.handler, params };
      if (method === 'HEAD' && r.method === 'GET') headFallback ??= { handler: r.handler, params };
      pathKnown = true;
    }
    if (headFallback) return headFallback;
    if (pathKnown) throw new SimError(405, 405, 'method not supported');
    throw new SimError(404, 404, `unknown path '${path}'`);
  }
}
