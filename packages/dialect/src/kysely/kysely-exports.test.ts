// `@multidb/dialect/kysely` (and `…/helpers/*`) re-exports kysely's types as types only and its
// values by an explicit list, the values of the kysely the build bundles: the repository's. When
// that kysely gains or loses a runtime export, or is another version, these fail, so an upgrade of
// the bundled kysely updates the lists in ./index.ts and ./helpers-*.ts, and BUNDLED_KYSELY_VERSION.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_KYSELY_VERSION } from './bundled-kysely-version.js';

const ENTRIES = [
  ['kysely', () => import('./index.js'), () => import('kysely')],
  ['kysely/helpers/postgres', () => import('./helpers-postgres.js'), () => import('kysely/helpers/postgres')],
  ['kysely/helpers/mysql', () => import('./helpers-mysql.js'), () => import('kysely/helpers/mysql')],
  ['kysely/helpers/sqlite', () => import('./helpers-sqlite.js'), () => import('kysely/helpers/sqlite')],
  ['kysely/helpers/mssql', () => import('./helpers-mssql.js'), () => import('kysely/helpers/mssql')],
] as const;

describe("@multidb/dialect/kysely's values are the bundled kysely's", () => {
  it("BUNDLED_KYSELY_VERSION is the repository's kysely (the one the build bundles)", () => {
    // kysely's `exports` has no ./package.json: its folder is found from its main module.
    const main = createRequire(import.meta.url).resolve('kysely');
    const folder = main.slice(0, main.lastIndexOf(join('node_modules', 'kysely')) + join('node_modules', 'kysely').length);
    const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
    expect(BUNDLED_KYSELY_VERSION, 'update src/kysely/bundled-kysely-version.ts (and the export lists) to the kysely the build bundles').toBe(version);
  });

  it.each(ENTRIES)('%s: every runtime export of kysely is listed, and nothing else', async (specifier, ours, kysely) => {
    const listed = Object.keys(await ours()).sort();
    const runtime = Object.keys(await kysely()).sort();
    expect(listed, `the export list of @multidb/dialect's ${specifier} (src/kysely/) must name exactly the runtime exports of the bundled ${specifier}`).toEqual(runtime);
  });
});
