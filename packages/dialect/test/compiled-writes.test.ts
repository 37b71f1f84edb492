// compileRevision numbers the statements of a revision by the write a run counts them in
// (`CompiledStatement.write`): on MySQL/MariaDB the progress of a run stopped part way is kept per
// write, one per op whatever the number of statements it compiles to (an enum op compiles to
// none there and still takes a number), one per `op.db` write; reads, session settings and a
// transaction's BEGIN and COMMIT are sent again on resume and have none. The preview's "applied"
// marks (core's previewRevision, the TUI's viewer) rest on these numbers.
import { compileRevision, DEFAULT_NAMING_CONVENTION, OfflineSnapshots } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../src/index.js';
import { revisionModule } from './support/revision-module.js';

describe('compileRevision: the write each statement is part of, as a MySQL/MariaDB run counts them', () => {
  it('one number per op (its statements share it, an op of none takes one), one per op.db write; reads and BEGIN/COMMIT have none', async () => {
    const module = revisionModule(async (op) => {
      await op.createEnum('mood', ['sad', 'ok']); // write 1: no statement on MySQL
      await op.execute('SET @x = 1');
      await op.createTable('s1', [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'a', type: 'integer' },
      ]); // write 2
      await op.batchAlterTable('s1', (b) => {
        b.addColumn({ name: 'x', type: 'integer' });
        b.renameColumn('a', 'c');
      }); // write 3: two statements
      await op.execute('BEGIN');
      await op.db.selectFrom('s1').selectAll().execute();
      await op.db.insertInto('s1').values({ id: 1 }).execute(); // write 4
      await op.execute('COMMIT');
      await op.execute('-- seed\nINSERT INTO s1 (id) VALUES (2)'); // write 5
    });
    const { statements, notes } = await compileRevision(module, 'up', { bind: 'main', dialect: mysqlDialect, namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: new OfflineSnapshots(), onError: 'throw' });
    expect(notes).toEqual(['op.db queries are compiled, not run: in the preview they return no rows.']);
    expect(statements.map((s) => [s.sql.split(/ \(|\n/)[0], s.write])).toEqual([
      ['SET @x = 1', undefined],
      ['CREATE TABLE `s1`', 2],
      ['ALTER TABLE `s1` ADD COLUMN `x` int NULL', 3],
      ['ALTER TABLE `s1` RENAME COLUMN `a` TO `c`', 3],
      ['BEGIN', undefined],
      ['select * from `s1`', undefined],
      ['insert into `s1`', 4],
      ['COMMIT', undefined],
      ['-- seed', 5],
    ]);
  });
});
