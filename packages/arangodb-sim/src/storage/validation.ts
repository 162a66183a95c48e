import { Ajv, type ValidateFunction } from 'ajv';
import { errors } from './errors.js';

export type SchemaLevel = 'none' | 'new' | 'moderate' | 'strict';

export interface CollectionSchema {
  rule: Record<string, unknown>;
  level: SchemaLevel;
  message: string;
  type: 'json';
}

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });

/** A collection's compiled JSON-Schema rule plus its enforcement level. */
export class SchemaValidator {
  private readonly check: ValidateFunction;

  constructor(readonly schema: CollectionSchema) {
    try {
      this.check = ajv.compile(schema.rule);
    } catch (e) {
      throw errors.invalidSchema(e instanceof Error ? e.message : String(e));
    }
  }

  /** Parses the `schema` collection property; `null` and `{}` remove it. */
  static from(value: unknown): SchemaValidator | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value))
      throw errors.invalidSchema('schema must be an object');
    const v = value as Record<string, unknown>;
    if (Object.keys(v).length === 0) return null;
    if (typeof v.rule !== 'object' || v.rule === null) throw errors.invalidSchema('rule must be an object');
    const level = (v.level ?? 'strict') as SchemaLevel;
    if (!['none', 'new', 'moderate', 'strict'].includes(level)) throw errors.invalidSchema('invalid level');
    return new SchemaValidator({
      rule: v.rule as Record<string, unknown>,
      level,
      message: typeof v.message === 'string' ? v.message : 'Schema violation',
      type: 'json',
    });
  }

  valid(doc: Record<string, unknown>): boolean {
    return this.check(doc) === true;
  }

  /** `old` is the previous version on update/replace, undefined on insert. */
  enforce(doc: Record<string, unknown>, old: Record<string, unknown> | undefined): void {
    const { level } = this.schema;
    if (level === 'none') return;
    if (old !== undefined) {
      if (level === 'new') return;
      if (level === 'moderate' && !this.valid(old)) return;
    }
    if (!this.valid(doc)) throw errors.validationFailed(this.schema.message);
  }
}
