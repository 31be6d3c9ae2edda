/**
 * The store's engines, for suites that run against both: SQLite (a file in a temp dir) and
 * PostgreSQL (a fresh database on the file's throwaway cluster). Call at the top of a test
 * file; `describe.each(backends)('… ($name)', ({ fresh }) => …)`.
 */
import { join } from 'node:path';
import { tempTree } from './tmp.js';
import { usePostgres, type PgCluster } from './postgres.js';

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** A location for a new, empty store. */
  fresh(): string;
  /** The cluster (postgres only; call inside a test). */
  cluster(): PgCluster;
}

export function useStoreBackends(): StoreBackend[] {
  const pg = usePostgres();
  let n = 0;
  return [
    {
      name: 'sqlite',
      fresh: () => join(tempTree(), `s${++n}.db`),
      cluster: () => {
        throw new Error('no PostgreSQL cluster for the SQLite backend');
      },
    },
    { name: 'postgres', fresh: () => pg.cluster.freshDatabase(), cluster: () => pg.cluster },
  ];
}
