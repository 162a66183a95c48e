import { SimError } from '../aql/host.js';
import { assertReachable } from '../cluster/availability.js';
import type { Ctx } from '../http/context.js';
import { json } from '../http/reply.js';
import type { Router } from '../http/router.js';

interface Tally {
  created: number;
  errors: number;
  empty: number;
  updated: number;
  ignored: number;
  details: string[];
}

/** Import reports name the short form of unique-constraint errors ("unique constraint violated"). */
function shortMessage(e: SimError): string {
  return e.errorNum === 1210 ? 'unique constraint violated' : e.message;
}

/** Yields [position, parsed value | undefined for empty lines | Error for bad JSON, trimmed line]. */
function* lines(text: string): Generator<[number, unknown, string]> {
  let pos = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (!(line === '' && end === text.length && start === text.length)) {
      if (line === '') yield [pos, undefined, line];
      else {
        try {
          yield [pos, JSON.parse(line), line];
        } catch {
          yield [pos, new Error('parse'), line];
        }
      }
    }
    pos += 1;
    start = end + 1;
  }
}

const NO_HEADER = 'no JSON string array found in first line';

/**
 * Header-plus-values import: the first line must be a non-empty array of strings (anything else is
 * rejected, never coerced); each further line an array of as many values.
 */
function importKeyValueLines(
  ctx: Ctx,
  text: string,
  tally: Tally,
  one: (position: number, doc: unknown) => void,
): void {
  const newline = text.indexOf('\n');
  if (newline < 0) throw new SimError(400, 400, 'no JSON array found in second line');
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    throw new SimError(400, 400, NO_HEADER);
  }
  if (!Array.isArray(header) || header.length === 0 || header.some((k) => typeof k !== 'string')) {
    throw new SimError(400, 400, NO_HEADER);
  }
  const keys = header as string[];
  const ignoreMissing = ctx.flag('ignoreMissing');
  const complete = ctx.flag('complete');
  const offset = Number(ctx.query.line ?? 0) || 0;
  const reject = (message: string): void => {
    if (complete) throw new SimError(400, 400, message);
    tally.errors += 1;
    if (ctx.flag('details')) tally.details.push(message);
  };
  for (const [pos, value, line] of lines(text.slice(newline + 1))) {
    const at = `at position ${offset + pos + 1}: `;
    if (value === undefined) tally.empty += 1;
    else if (value instanceof Error) {
      const context = line.length > 255 ? `${line.slice(0, 255)}...` : line;
      reject(
        `${at}invalid JSON type (expecting object, probably parse error), offending context: ${context}`,
      );
    } else if (!Array.isArray(value)) reject(`${at}no valid JSON array data`);
    else if (!ignoreMissing && value.length !== keys.length) {
      reject(`${at}wrong number of JSON values (got ${value.length}, expected ${keys.length})`);
    } else {
      const doc: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        const v = value[i];
        if (v !== undefined && v !== null) doc[k] = v;
      });
      one(offset + pos + 1, doc);
    }
  }
}

export function importRoutes(r: Router): void {
  r.on('POST', '/_api/import', (ctx: Ctx) => {
    const name = ctx.query.collection ?? '';
    const c = ctx.db.lookup(name);
    if (!c) throw new SimError(404, 1203, `collection or view not found: ${name}`);
    ctx.assertWritable(name);
    assertReachable(ctx.server, c.props.sharding);
    const type = ctx.query.type;
    const text = ctx.bodyText;
    const details = ctx.flag('details');
    const complete = ctx.flag('complete');
    const onDuplicate = ctx.query.onDuplicate ?? 'error';
    if (ctx.flag('overwrite')) c.truncate();
    const fromPrefix = ctx.query.fromPrefix;
    const toPrefix = ctx.query.toPrefix;
    const tally: Tally = { created: 0, errors: 0, empty: 0, updated: 0, ignored: 0, details: [] };
    const inserted: string[] = [];

    const one = (position: number, doc: unknown): void => {
      if (doc === undefined) {
        tally.empty += 1;
        return;
      }
      const fail = (message: string, e?: SimError): void => {
        if (complete) throw e ?? new SimError(400, 400, message);
        tally.errors += 1;
        const shown = doc instanceof Error ? '' : JSON.stringify(doc);
        if (details) tally.details.push(`at position ${position}: ${message}, offending document: ${shown}`);
      };
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Error) {
        fail('invalid JSON type (expecting object, probably parse error)');
        return;
      }
      const d = doc as Record<string, unknown>;
      if (c.props.type === 3) {
        if (fromPrefix && typeof d._from === 'string' && !d._from.includes('/'))
          d._from = `${fromPrefix}/${d._from}`;
        if (toPrefix && typeof d._to === 'string' && !d._to.includes('/')) d._to = `${toPrefix}/${d._to}`;
        if (typeof d._from !== 'string' || typeof d._to !== 'string') {
          fail("missing '_from' or '_to' attribute");
          return;
        }
      }
      try {
        const key = d._key;
        if (onDuplicate !== 'error' && typeof key === 'string' && c.get(key)) {
          if (onDuplicate === 'ignore') tally.ignored += 1;
          else {
            if (onDuplicate === 'update') c.update(key, d);
            else c.replace(key, d);
            tally.updated += 1;
          }
          return;
        }
        inserted.push(c.insert(d).new._key);
        tally.created += 1;
      } catch (e) {
        if (!(e instanceof SimError)) throw e;
        fail(
          `creating document failed with error '${shortMessage(e)}'`,
          new SimError(e.code, e.errorNum, shortMessage(e)),
        );
      }
    };

    try {
      // Any other `type` (or none) is the header-plus-values format, as RestImportHandler dispatches.
      const asJson = type === 'documents' || type === 'array' || type === 'list' || type === 'auto';
      if (!asJson) importKeyValueLines(ctx, text, tally, one);
      else if (type === 'array' || type === 'list' || (type === 'auto' && text.trimStart().startsWith('['))) {
        const body = ctx.json();
        if (!Array.isArray(body)) throw new SimError(400, 400, 'expecting a JSON array in the request');
        body.forEach((d, i) => {
          one(i + 1, d);
        });
      } else {
        for (const [pos, value] of lines(text)) one(pos, value);
      }
    } catch (e) {
      if (complete) for (const k of inserted) c.remove(k);
      throw e;
    }
    const body: Record<string, unknown> = {
      error: false,
      created: tally.created,
      errors: tally.errors,
      empty: tally.empty,
      updated: tally.updated,
      ignored: tally.ignored,
    };
    if (details) body.details = tally.details;
    return json(body, 201);
  });
}
