import type { IncomingMessage } from 'node:http';
import { SimError } from '../aql/host.js';
import type { Instance } from '../instance.js';
import type { Database } from '../storage/database.js';
import { errors } from '../storage/errors.js';

/** Everything a handler needs about one request. */
export class Ctx {
  private parsed: { value: unknown } | undefined;

  constructor(
    readonly server: Instance,
    readonly req: IncomingMessage,
    readonly method: string,
    /** Path without `/_db/<name>`, URL-decoded per segment. */
    readonly path: string,
    readonly segments: string[],
    readonly query: Record<string, string>,
    readonly dbName: string,
    readonly rawBody: Buffer,
    /** Authenticated user; undefined when auth is off or for superuser JWTs. */
    readonly user: string | undefined,
    readonly superuser: boolean,
  ) {}

  get db(): Database {
    const db = this.server.databases.get(this.dbName);
    if (!db) throw errors.databaseNotFound();
    return db;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  get bodyText(): string {
    return this.rawBody.toString('utf8');
  }

  get hasBody(): boolean {
    return this.rawBody.length > 0 && this.bodyText.trim().length > 0;
  }

  /** Parsed JSON body (undefined when empty); malformed JSON is 400/600 like VelocyPack's parser. */
  json(): unknown {
    if (this.parsed) return this.parsed.value;
    let value: unknown;
    if (this.hasBody) {
      try {
        value = JSON.parse(this.bodyText);
      } catch {
        throw errors.badJson(`Expecting '"' or '}'`);
      }
    }
    this.parsed = { value };
    return value;
  }

  object(): Record<string, unknown> {
    const v = this.json();
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new SimError(400, 400, 'expecting JSON object body');
    }
    return v as Record<string, unknown>;
  }

  flag(name: string, dflt = false): boolean {
    const v = this.query[name];
    if (v === undefined) return dflt;
    return v === 'true' || v === '1' || v === 'yes' || v === '';
  }

  /** Location headers always carry the database prefix. */
  location(path: string): string {
    return `/_db/${encodeURIComponent(this.dbName)}${path}`;
  }

  assertWritable = (collection?: string): void => {
    this.server.assertAccess(this, 'rw', collection);
  };

  assertReadable = (collection?: string): void => {
    this.server.assertAccess(this, 'ro', collection);
  };
}
