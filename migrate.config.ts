// multidb configuration for this repository's own example: the Chinook sample database split over
// two binds. `npm run migrate -- upgrade` brings both to their heads; see migrations/README.
import { defineConfig } from '@multidb/core';

export default defineConfig({
  // The migration repository, relative to this file.
  directory: 'migrations',

  // One row per current head, kept in each bind's own database (created on the first upgrade).
  versionTable: 'multidb_version',

  // Names for constraints and indexes that a revision leaves unnamed (`name: null`, or a
  // `references`/`foreignKeys`/`indexes` entry without a name). This is the default, spelled out:
  // changing it later renames nothing that already exists, so choose it before the first revision.
  namingConvention: {
    ix: 'ix_%(table)s_%(columns)s',
    uq: 'uq_%(table)s_%(columns)s',
    fk: 'fk_%(table)s_%(columns)s_%(referred_table)s',
    ck: 'ck_%(table)s_%(name)s',
    pk: 'pk_%(table)s',
  },

  // Binds are the named databases this project migrates. Each bind has its own version branch,
  // `migrations/versions/<bind>/` (a bind may name another with `branch`, so several tenant or
  // shard databases can share one history), and its own version table. Here:
  //   default: the music catalog (Artist, Album, Genre, MediaType, Track, Playlist, PlaylistTrack);
  //   db2:     sales (Employee, Customer, Invoice, InvoiceLine).
  // SQLite paths are relative to this file (the .data/ folder is created and git-ignored). Point a
  // bind at a server with its environment variable, e.g.
  //   MULTIDB_DB2_URL=postgres://postgres@127.0.0.1:5432/chinook_sales npm run migrate -- upgrade
  //
  // `models` names each bind's models module (what its database should look like at head): the
  // input of autogenerate (`migrate migrate -m "…"`) and `migrate check`.
  //
  // `types` is where `npm run migrate -- codegen` writes each bind's Kysely `DB` interface
  // (kysely-codegen, from the upgraded SQLite databases; committed, and checked by
  // `migrate codegen --verify` in the tests). New revisions of a bind import it and take
  // `op: Operations<Db2>`, so their `op.db` queries are type-checked. See the README, "Typed
  // queries (kysely-codegen)".
  binds: {
    default: { url: process.env.MULTIDB_DEFAULT_URL ?? 'sqlite:.data/default.db', models: './models/default.ts', types: './migrations/types/default.ts' },
    db2: { url: process.env.MULTIDB_DB2_URL ?? 'sqlite:.data/db2.db', models: './models/db2.ts', types: './migrations/types/db2.ts' },
  },
});
