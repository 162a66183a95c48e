/**
 * The profile model (zod). It is the single source of truth for what a
 * `schema.yaml` may contain: the loader validates against it, and
 * `profile.schema.json` (for editors) is generated from it.
 *
 * Fields a user leaves out stay absent here; defaults are applied by the
 * normaliser, so that "compare only if declared" rules can see what was declared.
 */
import { z } from 'zod';
import { INDEX_TYPES, LEGACY_INDEX_ALIASES, legacyNote } from './index-types.js';

const name = z.string().min(1);
const fieldList = z.array(z.string().min(1)).min(1);
const indexName = name
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'index names start with a letter and use letters, digits, _ and -')
  .describe('Index name; required so drift can match declared and live indexes (ArangoDB has no rename).');
const inBackground = z
  .boolean()
  .optional()
  .describe(
    'Build without an exclusive lock (bootstrap only; never compared). Default: true when the collection holds many documents.',
  );

const persistentIndex = z.strictObject({
  type: z.literal('persistent'),
  name: indexName,
  fields: fieldList.describe('Indexed attribute paths, in order (`[*]` expands arrays).'),
  unique: z.boolean().optional().describe('Reject duplicate values. Default false.'),
  sparse: z
    .boolean()
    .optional()
    .describe('Leave out documents where a field is null or missing. Default false.'),
  deduplicate: z.boolean().optional().describe('Index an array value once per document. Default true.'),
  estimates: z.boolean().optional().describe('Maintain selectivity estimates. Default true.'),
  cacheEnabled: z.boolean().optional().describe('In-memory cache for lookups. Default false.'),
  storedValues: z
    .array(z.string().min(1))
    .optional()
    .describe('Extra attributes stored in the index (covering).'),
  inBackground,
});

const ttlIndex = z.strictObject({
  type: z.literal('ttl'),
  name: indexName,
  fields: z
    .tuple([
      z
        .string()
        .min(1)
        .regex(/^[^.]+$/, 'a TTL field must be a top-level attribute'),
    ])
    .describe('Exactly one top-level attribute holding an ISO date string or Unix timestamp in seconds.'),
  expireAfter: z
    .number()
    .min(0)
    .describe('Seconds after the attribute time a document expires; 0 = at that time.'),
  inBackground,
});

const geoIndex = z
  .strictObject({
    type: z.literal('geo'),
    name: indexName,
    fields: z
      .array(z.string().min(1))
      .min(1)
      .max(2)
      .describe('One attribute ([lat, lon] array or GeoJSON) or two attributes (latitude, longitude).'),
    geoJson: z.boolean().optional().describe('Read one-field values as GeoJSON ([lon, lat]). Default false.'),
    legacyPolygons: z.boolean().optional().describe('Pre-3.10 polygon semantics. Default false.'),
    inBackground,
  })
  .superRefine((index, ctx) => {
    // The server ignores it for two fields and prints false: declared true would drift forever.
    if (index.geoJson === true && index.fields.length === 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['geoJson'],
        message:
          'geoJson applies to a one-field geo index only; with two fields (latitude, longitude) leave it out',
      });
    }
  });

const fulltextIndex = z.strictObject({
  type: z.literal('fulltext'),
  name: indexName,
  fields: z.tuple([z.string().min(1)]).describe('The one text attribute.'),
  minLength: z.number().int().min(1).optional().describe('Shortest indexed word. Default 2.'),
  inBackground,
});

const mdiIndex = z.strictObject({
  type: z.literal('mdi'),
  name: indexName,
  fields: fieldList.describe('Numeric dimensions.'),
  fieldValueTypes: z
    .literal('double')
    .optional()
    .describe('Value type of every dimension; always sent as double (ArangoDB requires it).'),
  unique: z.boolean().optional().describe('Default false.'),
  sparse: z.boolean().optional().describe('Default false.'),
  storedValues: z.array(z.string().min(1)).optional().describe('Extra attributes stored in the index.'),
  inBackground,
});

const mdiPrefixedIndex = mdiIndex.extend({
  type: z.literal('mdi-prefixed'),
  prefixFields: fieldList.describe('Attributes that must be matched by equality before the dimensions.'),
  estimates: z.boolean().optional().describe('Default true.'),
});

const invertedField = z.union([
  z.string().min(1),
  z
    .looseObject({ name: z.string().min(1) })
    .describe('A field with its own options (analyzer, features, nested, ...).'),
]);

/** Commit, consolidation and write-buffer settings shared by inverted indexes and arangosearch views. */
const searchTuning = {
  cleanupIntervalStep: z.number().int().min(0).optional(),
  commitIntervalMsec: z.number().int().min(0).optional(),
  consolidationIntervalMsec: z.number().int().min(0).optional(),
  consolidationPolicy: z.record(z.string(), z.unknown()).optional(),
  writebufferIdle: z.number().int().min(0).optional(),
  writebufferActive: z.number().int().min(0).optional(),
  writebufferSizeMax: z.number().int().min(0).optional(),
};

const invertedIndex = z.strictObject({
  type: z.literal('inverted'),
  name: indexName,
  fields: z.array(invertedField).min(1).describe('Fields, as names or objects with per-field options.'),
  analyzer: z.string().optional().describe('Default analyzer. Default identity.'),
  features: z.array(z.string()).optional().describe('Analyzer features.'),
  includeAllFields: z.boolean().optional(),
  trackListPositions: z.boolean().optional(),
  searchField: z.boolean().optional(),
  storedValues: z.array(z.unknown()).optional(),
  primarySort: z.record(z.string(), z.unknown()).optional(),
  optimizeTopK: z.array(z.string()).optional(),
  cache: z.boolean().optional(),
  primaryKeyCache: z.boolean().optional(),
  parallelism: z.number().int().positive().optional(),
  ...searchTuning,
  inBackground,
});

export const indexSchema = z.discriminatedUnion(
  'type',
  [persistentIndex, ttlIndex, geoIndex, fulltextIndex, mdiIndex, mdiPrefixedIndex, invertedIndex],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input as { type?: unknown } | undefined;
      const type = input?.type;
      if (typeof type === 'string' && LEGACY_INDEX_ALIASES[type]) {
        return `index type "${type}" is a legacy name (${legacyNote(type)}); declare type: ${LEGACY_INDEX_ALIASES[type]}`;
      }
      const shown = type === undefined ? 'missing' : `"${String(type)}"`;
      return `unknown index type ${shown}; expected one of ${INDEX_TYPES.join(', ')}`;
    },
  },
);

const computedValue = z.strictObject({
  name: name.describe('Attribute the value is written to.'),
  expression: z.string().min(1).describe('AQL expression starting with RETURN.'),
  overwrite: z.boolean().describe('Replace a value the client sent.'),
  computeOn: z
    .array(z.enum(['insert', 'update', 'replace']))
    .optional()
    .describe('Operations that compute the value. Default all three.'),
  keepNull: z.boolean().optional().describe('Store null results. Default true.'),
  failOnWarning: z.boolean().optional().describe('Fail the write on an expression warning. Default false.'),
});

const collectionSchema = z.strictObject({
  type: z
    .enum(['document', 'edge'])
    .optional()
    .describe('Collection type. Default document. Changing it loses data.'),
  waitForSync: z.boolean().optional().describe('Sync every write to disk before answering. Default false.'),
  cacheEnabled: z.boolean().optional().describe('In-memory cache of documents by key. Default false.'),
  keyOptions: z
    .strictObject({
      type: z
        .enum(['traditional', 'autoincrement', 'uuid', 'padded'])
        .optional()
        .describe('Default traditional.'),
      allowUserKeys: z.boolean().optional().describe('Default true.'),
      increment: z.number().int().positive().optional().describe('autoincrement only.'),
      offset: z.number().int().min(0).optional().describe('autoincrement only.'),
    })
    .optional()
    .describe('Key generator; fixed at creation.'),
  schema: z
    .strictObject({
      rule: z.record(z.string(), z.unknown()).describe('JSON Schema the documents must satisfy.'),
      level: z
        .enum(['none', 'new', 'moderate', 'strict'])
        .optional()
        .describe('When the rule applies. Default strict.'),
      message: z.string().optional().describe('Error message for rejected writes.'),
    })
    .optional()
    .describe('Document validation.'),
  computedValues: z.array(computedValue).optional().describe('Values the server computes on write.'),
  numberOfShards: z.number().int().positive().optional().describe('Cluster only; fixed at creation.'),
  replicationFactor: z
    .union([z.number().int().min(1).max(10), z.literal('satellite')])
    .optional()
    .describe('Cluster only: copies of each shard.'),
  writeConcern: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe('Cluster only: copies that must acknowledge a write.'),
  shardKeys: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Cluster only; fixed at creation. Default [_key].'),
  shardingStrategy: z.string().optional().describe('Cluster only; fixed at creation.'),
  distributeShardsLike: z
    .string()
    .optional()
    .describe('Cluster only: collection whose sharding this one follows.'),
  indexes: z
    .array(indexSchema)
    .default([])
    .describe('Secondary indexes (primary and edge indexes are implicit).'),
});

const analyzerSchema = z.strictObject({
  type: z.string().min(1).describe('Analyzer type, e.g. text, norm, identity, pipeline.'),
  properties: z.record(z.string(), z.unknown()).optional().describe('Type-specific properties.'),
  features: z
    .array(z.enum(['frequency', 'norm', 'position', 'offset']))
    .optional()
    .describe('Default none.'),
});

const arangosearchView = z.strictObject({
  type: z.literal('arangosearch'),
  links: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .describe('Per collection: analyzers, fields, includeAllFields, storeValues, trackListPositions.'),
  primarySort: z.array(z.record(z.string(), z.unknown())).optional().describe('Immutable.'),
  primarySortCompression: z.enum(['lz4', 'none']).optional().describe('Immutable.'),
  storedValues: z.array(z.unknown()).optional().describe('Immutable.'),
  optimizeTopK: z.array(z.string()).optional().describe('Immutable.'),
  ...searchTuning,
});

const searchAliasView = z.strictObject({
  type: z.literal('search-alias'),
  indexes: z
    .array(z.strictObject({ collection: name, index: name }))
    .describe('Inverted indexes the view searches.'),
});

const viewSchema = z.discriminatedUnion('type', [arangosearchView, searchAliasView]);

const graphSchema = z.strictObject({
  edgeDefinitions: z
    .array(
      z.strictObject({
        collection: name.describe('Edge collection.'),
        from: z.array(name).min(1).describe('Vertex collections edges start from.'),
        to: z.array(name).min(1).describe('Vertex collections edges point to.'),
      }),
    )
    .describe('Edge definitions.'),
  orphanCollections: z.array(name).optional().describe('Vertex collections not used by any edge definition.'),
});

export const accessLevelSchema = z.enum(['rw', 'ro', 'none']);

const grantSchema = z.union([
  accessLevelSchema,
  z.strictObject({
    database: accessLevelSchema.optional().describe('Database level.'),
    collections: z
      .record(name, accessLevelSchema)
      .optional()
      .describe('Collection levels; `*` is the default.'),
  }),
]);

const passwordSourceSchema = z.union(
  [
    z.strictObject({ env: z.string().min(1).describe('Environment variable holding the password.') }),
    z.strictObject({
      file: z.string().min(1).describe('File holding the password (trailing newline ignored).'),
    }),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'inline passwords are not allowed; use password: { env: VARIABLE } or password: { file: /path }'
        : 'expected password: { env: VARIABLE } or password: { file: /path }',
  },
);

const userSchema = z.strictObject({
  active: z.boolean().optional().describe('Whether the user may log in. Default true.'),
  extra: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Free-form user data; compared only if declared.'),
  password: passwordSourceSchema.describe('Where bootstrap reads the password from; never inline.'),
  grants: z
    .record(name, grantSchema)
    .default({})
    .describe(
      'Access per database: a level, or { database, collections }. Undeclared databases must be none.',
    ),
});

const databaseSchema = z.strictObject({
  options: z
    .strictObject({
      sharding: z.enum(['', 'flexible', 'single']).optional().describe('`single` = OneShard (cluster only).'),
      replicationFactor: z.union([z.number().int().min(1), z.literal('satellite')]).optional(),
      writeConcern: z.number().int().min(1).optional(),
    })
    .optional()
    .describe('Used when bootstrap creates the database; not compared afterwards.'),
  analyzers: z.record(name, analyzerSchema).default({}).describe('Custom analyzers of this database.'),
  collections: z.record(name, collectionSchema).default({}).describe('Collections by name.'),
  views: z.record(name, viewSchema).default({}).describe('arangosearch and search-alias views by name.'),
  graphs: z.record(name, graphSchema).default({}).describe('Named graphs by name.'),
});

export const profileSchema = z
  .strictObject({
    version: z.literal(1).describe('Profile format version.'),
    databases: z.record(name, databaseSchema).describe('Declared databases by name.'),
    users: z
      .record(name, userSchema)
      .default({})
      .describe('Users the profile manages (others are left alone).'),
  })
  .describe('An arangops schema profile: the declared state of one or more ArangoDB databases.');
