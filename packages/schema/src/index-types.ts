/** Index type names: the ones a profile may declare, and the legacy spellings 3.11/3.12 still report. */

export const INDEX_TYPES = [
  'persistent',
  'ttl',
  'geo',
  'fulltext',
  'inverted',
  'mdi',
  'mdi-prefixed',
] as const;

/** Legacy spelling → today's type. `hash`/`skiplist` are removed in 4.0, `geo1`/`geo2` reported as `geo` since 3.4, `zkd` renamed in 3.12. */
export const LEGACY_INDEX_ALIASES: Readonly<Record<string, string>> = {
  hash: 'persistent',
  skiplist: 'persistent',
  geo1: 'geo',
  geo2: 'geo',
  zkd: 'mdi',
};

/** Legacy types ArangoDB 4.0 no longer creates. */
export const REMOVED_IN_4: ReadonlySet<string> = new Set(['hash', 'skiplist']);

/** Why a legacy spelling matters, for messages. */
export function legacyNote(type: string): string {
  const current = LEGACY_INDEX_ALIASES[type];
  return REMOVED_IN_4.has(type)
    ? `an alias of "${current}", removed in ArangoDB 4.0`
    : `now called "${current}"`;
}

/** Indexes every collection has; they cannot be declared or dropped. */
export const SYSTEM_INDEX_TYPES: ReadonlySet<string> = new Set(['primary', 'edge']);
