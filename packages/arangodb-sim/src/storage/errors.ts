import { SimError } from '../aql/host.js';

/** Errors with the exact status, errorNum and message real servers send (notes/http-examples.md §3, notes/schema.md §4). */
export const errors = {
  badParameter: (msg: string) => new SimError(400, 10, msg),
  forbidden: () => new SimError(403, 11, 'forbidden'),
  unauthorized: () => new SimError(401, 11, 'not authorized to execute this request'),
  readOnly: () => new SimError(403, 1004, 'collection is read-only'),
  duplicateIdentifier: () => new SimError(400, 1005, 'duplicate value for `id` or `name`'),
  conflict: () => new SimError(412, 1200, 'conflict, _rev values do not match'),
  documentNotFound: () => new SimError(404, 1202, 'document not found'),
  dataSourceNotFound: (name: string) => new SimError(404, 1203, `collection or view not found: ${name}`),
  duplicateName: (name?: string) =>
    new SimError(409, 1207, name ? `duplicate name: ${name}` : 'duplicate name'),
  illegalName: () => new SimError(400, 1208, 'illegal name'),
  uniqueViolated: (message = 'unique constraint violated') => new SimError(409, 1210, message),
  indexNotFound: () => new SimError(404, 1212, 'index not found'),
  illegalKey: () => new SimError(400, 1221, 'illegal document key'),
  unexpectedKey: () => new SimError(400, 1222, 'must not specify _key for this collection'),
  databaseNotFound: () => new SimError(404, 1228, 'database not found'),
  useSystemDatabase: () => new SimError(403, 1230, 'operation only allowed in system database'),
  invalidEdge: () => new SimError(400, 1233, 'edge attribute missing or invalid'),
  collectionTypeInvalid: () => new SimError(400, 1218, 'collection type invalid'),
  validationFailed: (message: string) => new SimError(400, 1620, message),
  invalidSchema: (message: string) => new SimError(400, 1621, `Validation: invalid schema: ${message}`),
  cursorNotFound: () => new SimError(404, 1600, 'cursor not found'),
  userDuplicate: () => new SimError(409, 1702, 'duplicate user'),
  userNotFound: () => new SimError(404, 1703, 'user not found'),
  badJson: (msg: string) => new SimError(400, 600, `VPackError error: ${msg}`),
  queryEmpty: () => new SimError(400, 1502, 'query is empty'),
  notImplemented: (what: string) => new SimError(501, 9, `not implemented: ${what}`),
} as const;
