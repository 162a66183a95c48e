import { Router } from '../http/router.js';
import { adminRoutes } from './admin.js';
import { analyzerRoutes } from './analyzers.js';
import { collectionRoutes } from './collections.js';
import { cursorRoutes } from './cursor.js';
import { databaseRoutes } from './databases.js';
import { documentRoutes } from './documents.js';
import { edgeRoutes } from './edges.js';
import { gharialRoutes } from './gharial.js';
import { importRoutes } from './import.js';
import { indexRoutes } from './indexes.js';
import { queryRoutes } from './query.js';
import { userRoutes } from './users.js';
import { viewRoutes } from './views.js';

export function buildRouter(): Router {
  const r = new Router();
  for (const add of [
    adminRoutes,
    databaseRoutes,
    collectionRoutes,
    indexRoutes,
    documentRoutes,
    edgeRoutes,
    importRoutes,
    cursorRoutes,
    queryRoutes,
    gharialRoutes,
    viewRoutes,
    analyzerRoutes,
    userRoutes,
  ]) {
    add(r);
  }
  return r;
}
