/** Query preparation shared by execute and explain: parse, check bind parameters, resolve collections, plan. */
import type { Expr, Query, Statement } from './ast.js';
import {
  bindParamMissing,
  bindParamType,
  bindParamUndeclared,
  collectionInExpression,
  collectionNotFound,
  wrapPhase,
} from './errors.js';
import { ExecContext } from './evaluate/context.js';
import { forCollection } from './evaluate/pipeline.js';
import type { AqlHost } from './host.js';
import { exprChildren, planAccess, statementExprs } from './index-selection.js';
import { parse } from './parser/index.js';

/** Recordings in /_api/* examples differ between these two; the default follows the newer server. */
export const DEFAULT_VERSION = '3.12';

export function versionOf(host: AqlHost): string {
  return host.version ?? DEFAULT_VERSION;
}

export interface Prepared {
  query: Query;
  ctx: ExecContext;
}

export function prepare(
  host: AqlHost,
  text: string,
  bindVars: Record<string, unknown>,
  memoryLimit: number | undefined,
): Prepared {
  const version = versionOf(host);
  try {
    const query = parse(text);
    for (const name of query.bindParams) {
      if (!Object.hasOwn(bindVars, name)) throw bindParamMissing(name);
    }
    for (const name of Object.keys(bindVars)) {
      if (!query.bindParams.includes(name)) throw bindParamUndeclared(name);
    }
    for (const name of query.bindParams) {
      const v = bindVars[name];
      if (name.startsWith('@') && (typeof v !== 'string' || v === '')) throw bindParamType(name);
    }
    for (const name of query.collections) {
      if (!host.collection(name)) throw collectionNotFound(name);
    }
    checkCollectionOperands(query.body, bindVars);
    const ctx = new ExecContext(host, bindVars, memoryLimit);
    const dataSources = query.bindParams.filter((p) => p.startsWith('@'));
    for (const p of dataSources) {
      const name = bindVars[p] as string;
      if (!host.collection(name)) throw collectionNotFound(name);
    }
    ctx.access = planAccess(
      query.body,
      (s) => {
        const name = forCollection(s, ctx);
        return name === undefined ? undefined : host.collection(name);
      },
      bindVars,
    );
    return { query, ctx };
  } catch (err) {
    throw wrapPhase(err, 'parsing', version);
  }
}

/** A collection name is a FOR source or the argument of LENGTH/COUNT; anywhere else it is error 1568. */
function checkCollectionOperands(body: Statement[], bindVars: Record<string, unknown>): void {
  const check = (e: Expr): void => {
    if (e.kind === 'collection') throw collectionInExpression(e.name);
    if (e.kind === 'param' && e.name.startsWith('@')) throw collectionInExpression(String(bindVars[e.name]));
    if (e.kind === 'subquery') {
      checkCollectionOperands(e.body, bindVars);
      return;
    }
    const counted = e.kind === 'call' && (e.name === 'LENGTH' || e.name === 'COUNT') ? e.args[0] : undefined;
    for (const c of exprChildren(e)) {
      if (c !== counted || !isDataSource(c)) check(c);
    }
  };
  for (const s of body) {
    for (const e of statementExprs(s)) {
      if (!(s.kind === 'for' && e === s.source && isDataSource(e))) check(e);
    }
  }
}

function isDataSource(e: Expr): boolean {
  return e.kind === 'collection' || (e.kind === 'param' && e.name.startsWith('@'));
}
