import { Kysely, type Dialect, type Driver } from 'kysely';
import type { KyselyModule } from './project-kysely.js';

/** What {@link connectionKyselys} returns: the two Kyselys of a connection multidb opened, on one driver. */
export interface ConnectionKyselys {
  /**
   * Makes user code's Kysely (`op.db`, the `onConnect` hook's), once: the project's copy's when
   * `project` gives one, else {@link plainDb}. A connection calls it on the first read of its `db`.
   */
  readonly db: () => Kysely<any>;
  /** multidb's own queries: the bundled copy's Kysely. */
  readonly plainDb: Kysely<any>;
  /** Destroys the driver (the database, the session), once, whichever Kysely initialized it. */
  readonly destroy: () => Promise<void>;
}

/**
 * The Kyselys of a connection multidb opened: `plainDb` on the bundled copy's `dialect` (multidb's
 * own queries), and `db` for user code. With `project` (see `projectKysely`), `db()` calls it and
 * makes an instance of the project's `Kysely`, with the adapter, query compiler and introspector of
 * the project's dialect (what `op.db.introspection`, `.compile()` and `sql` give a revision are
 * that copy's), on the very driver `plainDb` runs on: one connection, one mutex, one transaction at
 * a time, whichever Kysely sends a query (the driver is initialized once; only {@link
 * ConnectionKyselys.destroy} ends it, so `db.destroy()` in user code leaves the connection open).
 * `project` is called only by the first `db()`, so a connection whose `db` nobody reads never
 * loads the project's kysely. Without `project`, or when it returns `undefined`, `db()` is
 * `plainDb`.
 *
 * @param dialect - the bundled copy's dialect (whose driver both Kyselys share).
 * @param project - makes the project's `Kysely` class and its dialect (`new own.SqliteDialect(…)`),
 *   or `undefined` when the project's kysely cannot be loaded.
 * @returns the two Kyselys (user code's made on demand) and the driver's destroy.
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { SqliteDialect } from 'kysely';
 * import * as own from 'kysely'; // in a driver: projectKysely(options.moduleAlias), called by `project`
 * const database = new Database(':memory:');
 * const { db, plainDb, destroy } = connectionKyselys(new SqliteDialect({ database }), () => ({ Kysely: own.Kysely, dialect: new own.SqliteDialect({ database }) }));
 * await plainDb.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
 * await db().selectNoFrom((eb) => eb.lit(2).as('two')).execute(); // on plainDb's driver and connection
 * await destroy(); // closes the database
 * ```
 */
export function connectionKyselys(dialect: Dialect, project?: () => { readonly Kysely: KyselyModule['Kysely']; readonly dialect: Dialect } | undefined): ConnectionKyselys {
  if (project === undefined) {
    const db = new Kysely<any>({ dialect });
    return { db: () => db, plainDb: db, destroy: () => db.destroy() };
  }
  const driver = dialect.createDriver();
  let initialized: Promise<void> | undefined;
  const init = () => (initialized ??= driver.init());
  let destroyed: Promise<void> | undefined;
  const destroy = () => (destroyed ??= initialized ? initialized.then(() => driver.destroy(), () => driver.destroy()) : Promise.resolve());
  const plainDb = new Kysely<any>({ dialect: onDriver(dialect, sharedDriver(driver, init, destroy)) });
  let db: Kysely<any> | undefined;
  const makeDb = (): Kysely<any> => {
    if (db === undefined) {
      const own = project();
      db = own ? new own.Kysely<any>({ dialect: onDriver(own.dialect, sharedDriver(driver, init, async () => {})) }) : plainDb;
    }
    return db;
  };
  return { db: makeDb, plainDb, destroy };
}

/** `dialect`'s adapter, query compiler and introspector, with `driver`. */
function onDriver(dialect: Dialect, driver: Driver): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** `driver` as one of its Kyselys sees it: initialized once for all of them, destroyed by `destroy`. */
function sharedDriver(driver: Driver, init: () => Promise<void>, destroy: () => Promise<void>): Driver {
  const shared: Driver = {
    init,
    acquireConnection: () => driver.acquireConnection(),
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy,
  };
  if (driver.savepoint) shared.savepoint = (connection, name, compile) => driver.savepoint!(connection, name, compile);
  if (driver.rollbackToSavepoint) shared.rollbackToSavepoint = (connection, name, compile) => driver.rollbackToSavepoint!(connection, name, compile);
  if (driver.releaseSavepoint) shared.releaseSavepoint = (connection, name, compile) => driver.releaseSavepoint!(connection, name, compile);
  return shared;
}
