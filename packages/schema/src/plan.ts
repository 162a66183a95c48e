/**
 * Turns drift items into bootstrap actions, in dependency order. Only
 * additive and mutable drift is acted on by default; recreate drift needs
 * --allow-recreate, and dropping an undeclared index, view, view link,
 * analyzer or graph needs --allow-destructive. Collections and databases are
 * never dropped.
 */
import { COLLECTION_FIELD_CLASS } from './diff.js';
import type { BootstrapAction, BootstrapOptions, BootstrapPlan, DriftItem, Profile } from './types.js';

/**
 * Safe order: containers before their contents, analyzers before views, users before grants.
 * Drops of undeclared objects come last, users of an analyzer before the analyzer.
 */
const PHASES: readonly BootstrapAction['op'][] = [
  'createDatabase',
  'replaceAnalyzer',
  'createAnalyzer',
  'createCollection',
  'updateCollection',
  'replaceIndex',
  'createIndex',
  'replaceView',
  'createView',
  'updateView',
  'createGraph',
  'updateGraph',
  'createUser',
  'updateUser',
  'setGrant',
  'dropViewLink',
  'dropView',
  'dropIndex',
  'dropGraph',
  'dropAnalyzer',
];

export function planBootstrap(
  profile: Profile,
  items: readonly DriftItem[],
  options: BootstrapOptions = {},
): BootstrapPlan {
  const actions: BootstrapAction[] = [];
  const skipped: DriftItem[] = [];
  for (const item of items) {
    const planned = actionsFor(profile, item, options);
    if (planned) actions.push(...planned);
    else skipped.push(item);
  }
  const rank = (a: BootstrapAction) => PHASES.indexOf(a.op);
  // Array.prototype.sort is stable, so items keep their path order within a phase.
  actions.sort((a, b) => rank(a) - rank(b));
  return { actions, skipped };
}

function actionsFor(
  profile: Profile,
  item: DriftItem,
  options: BootstrapOptions,
): BootstrapAction[] | undefined {
  const segments = item.path.split('/');
  const path = item.path;
  if (item.change === 'unexpected') return options.allowDestructive ? dropFor(item, segments) : undefined;
  if (item.kind === 'user' || item.kind === 'grant') {
    const user = segments[1]!;
    if (item.kind === 'user')
      return [
        item.change === 'missing' ? { op: 'createUser', path, user } : { op: 'updateUser', path, user },
      ];
    const database = segments[3]!;
    const collection = segments[4];
    const grant = profile.users[user]?.grants[database];
    if (grant === undefined) return undefined;
    if (collection === undefined) {
      const level = typeof grant === 'string' ? grant : (grant.database ?? 'none');
      const out: BootstrapAction[] = [{ op: 'setGrant', path, user, database, level }];
      if (typeof grant !== 'string') {
        for (const [coll, l] of Object.entries(grant.collections ?? {})) {
          if (item.change === 'missing')
            out.push({ op: 'setGrant', path: `${path}/${coll}`, user, database, collection: coll, level: l });
        }
      }
      return out;
    }
    const level = typeof grant === 'string' ? undefined : grant.collections?.[collection];
    return level ? [{ op: 'setGrant', path, user, database, collection, level }] : undefined;
  }

  const database = segments[0]!;
  const name = segments[2]!;
  const allowed = (cls: DriftItem['class']) =>
    cls === 'additive' ||
    cls === 'mutable' ||
    (cls === 'recreate' && options.allowRecreate === true) ||
    (cls === 'destructive' && options.allowDestructive === true);
  if (!allowed(item.class)) return undefined;

  switch (item.kind) {
    case 'database':
      return [{ op: 'createDatabase', path, database }];
    case 'analyzer':
      return [{ op: item.change === 'missing' ? 'createAnalyzer' : 'replaceAnalyzer', path, database, name }];
    case 'collection': {
      if (item.change === 'missing') return [{ op: 'createCollection', path, database, name }];
      const fields = (item.fields ?? []).filter((f) => COLLECTION_FIELD_CLASS[f] === 'mutable');
      // Fields that cannot change in place (type, keyOptions, sharding) are not applied: dropping a
      // collection with its documents is out of bootstrap's scope even with --allow-destructive.
      return fields.length === (item.fields ?? []).length
        ? [{ op: 'updateCollection', path, database, name, fields }]
        : undefined;
    }
    case 'index': {
      const index = segments[4]!;
      const create: BootstrapAction = { op: 'createIndex', path, database, collection: name, name: index };
      if (item.change === 'missing') return [create];
      return item.liveId
        ? [{ op: 'replaceIndex', path, database, collection: name, name: index, id: item.liveId }]
        : undefined;
    }
    case 'view':
      if (item.change === 'missing') return [{ op: 'createView', path, database, name }];
      return [{ op: item.class === 'mutable' ? 'updateView' : 'replaceView', path, database, name }];
    case 'graph':
      return [
        item.change === 'missing'
          ? { op: 'createGraph', path, database, name }
          : { op: 'updateGraph', path, database, name },
      ];
    default:
      return undefined;
  }
}

/** The drop of an undeclared object; collections, databases, users and grants are never dropped. */
function dropFor(item: DriftItem, segments: string[]): BootstrapAction[] | undefined {
  const path = item.path;
  const [database = '', , name = '', sub, a = '', b] = segments;
  switch (item.kind) {
    case 'index':
      return item.liveId
        ? [{ op: 'dropIndex', path, database, collection: name, id: item.liveId }]
        : undefined;
    case 'view':
      if (sub === undefined) return [{ op: 'dropView', path, database, name }];
      return [{ op: 'dropViewLink', path, database, name, collection: a, ...(b ? { index: b } : {}) }];
    case 'analyzer':
      return [{ op: 'dropAnalyzer', path, database, name }];
    case 'graph':
      return [{ op: 'dropGraph', path, database, name }];
    default:
      return undefined;
  }
}
