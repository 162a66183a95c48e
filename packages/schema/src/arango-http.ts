/** Thin JSON helpers over arangojs routes, so every call goes through core's retry and error mapping. */
import { type ArangoConnection, isArangoServerError } from '@arangops/core';

export type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ArangoHttp {
  request(database: string, method: Method, path: string, body?: unknown, search?: Json): Promise<Json>;
  get(database: string, path: string, search?: Json): Promise<Json>;
  /** GET that answers undefined for the listed errorNums (e.g. 1203 not found). */
  getOptional(
    database: string,
    path: string,
    notFound: readonly number[],
    search?: Json,
  ): Promise<Json | undefined>;
}

export function arangoHttp(connection: ArangoConnection): ArangoHttp {
  const request = async (database: string, method: Method, path: string, body?: unknown, search?: Json) => {
    const res = await connection.withRetry(`${method} ${path}`, () =>
      connection
        .database(database)
        .route()
        .request({
          method,
          pathname: path,
          ...(body === undefined ? {} : { body }),
          ...(search ? { search: search as Record<string, string> } : {}),
        }),
    );
    const parsed: unknown = res.parsedBody;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  };
  return {
    request,
    get: (database, path, search) => request(database, 'GET', path, undefined, search),
    async getOptional(database, path, notFound, search) {
      try {
        return await request(database, 'GET', path, undefined, search);
      } catch (e) {
        if (notFound.some((n) => isArangoServerError(e, n))) return undefined;
        throw e;
      }
    },
  };
}

/** ArangoDB error numbers bootstrap and inspection react to (see the research notes, section 4). */
export const ERRORS = {
  notImplemented: 9,
  badParameter: 10,
  forbidden: 11,
  duplicateIdentifier: 1005,
  conflict: 1200,
  documentNotFound: 1202,
  dataSourceNotFound: 1203,
  duplicateName: 1207,
  indexNotFound: 1212,
  uniqueConstraintViolated: 1210,
  databaseNotFound: 1228,
  indexCreationFailed: 1235,
  clusterUnsupported: 1470,
  userDuplicate: 1702,
  userNotFound: 1703,
  graphNotFound: 1924,
  graphDuplicate: 1925,
  graphNotInOrphans: 1928,
  graphCollectionUsedInEdgeDef: 1929,
} as const;
