import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import { findRenameCandidates } from './find-rename-candidates.js';
import { RenameArgumentError } from './rename-argument-error.js';
import { RenameDecisionRequiredError } from './rename-decision-required-error.js';
import { roundTrip } from '../testing/round-trip.js';
import type { Op } from '@multidb/core';
import { col, db, downgrade, model, options, reflected, SQLITE_LIKE, summary } from '../testing/snapshot-fixture.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const users = model('users', [
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'name', type: 'varchar(50)', nullable: false },
]);
const members = model('members', [
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'name', type: 'varchar(50)', nullable: false },
]);
const post = model('post', [
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'author_id', type: 'integer', references: 'users.id' },
  { name: 'body', type: 'text', nullable: false },
  { name: 'score', type: 'integer', default: 0 },
], { indexes: [{ columns: ['body'] }], checkConstraints: [{ name: 'ck_post_score', expression: 'score >= 0' }] });

/** `post` after renaming `body` to `content`: the index and check follow, as the database rewrites them. */
const postRenamed = model('post', [
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'author_id', type: 'integer', references: 'members.id' },
  { name: 'content', type: 'text', nullable: false },
  { name: 'points', type: 'integer', default: 0 },
], { indexes: [{ name: 'ix_post_body', columns: ['content'] }], checkConstraints: [{ name: 'ck_post_score', expression: 'points >= 0' }] });

describe('findRenameCandidates', () => {
  it('pairs a dropped and an added table of the same columns, and columns of the same shape', () => {
    const candidates = findRenameCandidates(db([members, postRenamed]), db([users, post]), options());
    expect(candidates).toEqual([
      { kind: 'table', table: 'users', newName: 'members', argument: 'users=members' },
      { kind: 'column', table: 'post', column: 'body', newName: 'content', argument: 'post.body=post.content' },
      { kind: 'column', table: 'post', column: 'score', newName: 'points', argument: 'post.score=post.points' },
    ]);
  });

  it('needs the same canonical type, nullability and default for a column, and the same columns for a table', () => {
    const other = model('post', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'author_id', type: 'integer', references: 'users.id' },
      { name: 'content', type: 'text' }, // nullable: not body's shape
      { name: 'points', type: 'integer', default: 1 }, // other default: not score's shape
    ]);
    const people = model('people', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(60)', nullable: false }]);
    expect(findRenameCandidates(db([other, people]), db([post, users]), options())).toEqual([]);
  });

  it('lists every pairing when one table could have become several', () => {
    const people = { ...members, name: 'people' };
    expect(findRenameCandidates(db([members, people]), db([users]), options()).map((c) => c.argument)).toEqual(['users=members', 'users=people']);
  });

  it("never pairs another migration tool's table (left alone) with a model table of its shape, nor renames it on a --rename", () => {
    const columns = [
      { name: 'name', type: 'varchar(255)', primaryKey: true },
      { name: 'timestamp', type: 'varchar(255)', nullable: false },
    ] as const;
    const kysely = model('kysely_migration', [...columns]);
    const flags = model('feature_flag', [...columns]);
    // Another table of that shape still is a candidate.
    const old = model('old_flags', [...columns]);
    expect(findRenameCandidates(db([flags]), db([kysely, old]), options()).map((c) => c.argument)).toEqual(['old_flags=feature_flag']);
    const r = compareSchemas(db([flags]), db([kysely]), options({ renames: { accept: ['kysely_migration=feature_flag'] } }));
    expect(summary(r.ops)).toEqual(['CreateTable feature_flag']);
    expect(r.unmatchedRenames).toEqual(['--rename kysely_migration=feature_flag']);
    expect(r.warnings).toEqual([expect.stringMatching(/^Table 'kysely_migration' is the migration table of Kysely's Migrator, not in the models; left alone/)]);
    // Undecided: no decision needed.
    expect(summary(compareSchemas(db([flags]), db([kysely]), options()).ops)).toEqual(['CreateTable feature_flag']);
  });
});

describe('compareSchemas: renames', () => {
  it('refuses to guess: an undecided candidate is an error listing every one with what to type', () => {
    const error = thrown(() => compareSchemas(db([members, postRenamed]), db([users, post]), options({ bind: 'db2' })));
    expect(error).toBeInstanceOf(RenameDecisionRequiredError);
    const e = error as RenameDecisionRequiredError;
    expect(e.bind).toBe('db2');
    expect(e.code).toBe('RENAME_DECISION_REQUIRED');
    expect(e.candidates.map((c) => c.argument)).toEqual(['users=members', 'post.body=post.content', 'post.score=post.points']);
    expect(e.message.split('\n')).toEqual([
      expect.stringMatching(/^\[db2\] 3 tables or columns look renamed: /),
      "  table 'users' -> 'members': --rename users=members  or  --no-rename users=members",
      "  column 'post.body' -> 'post.content': --rename post.body=post.content  or  --no-rename post.body=post.content",
      "  column 'post.score' -> 'post.points': --rename post.score=post.points  or  --no-rename post.score=post.points",
    ]);
    // Deciding some still leaves the others to decide.
    const partly = thrown(() => compareSchemas(db([members, postRenamed]), db([users, post]), options({ renames: { accept: ['users=members'] } })));
    expect((partly as RenameDecisionRequiredError).candidates.map((c) => c.argument)).toEqual(['post.body=post.content', 'post.score=post.points']);
  });

  it('renames accepted tables and columns first, following them everywhere, and reverses cleanly', () => {
    const renames = { accept: ['users=members', 'post.body=post.content', 'post.score=post.points'] };
    const r = roundTrip(db([members, postRenamed]), db([users, post]), options({ renames }));
    expect(summary(r.comparison.ops)).toEqual([
      'RenameTable users -> members',
      'RenameColumn post.body -> content',
      'RenameColumn post.score -> points',
    ]);
    expect(r.comparison.changes.map((c) => c.line)).toEqual([
      "Detected renamed table 'users' to 'members'",
      "Detected renamed column 'post.body' to 'post.content'",
      "Detected renamed column 'post.score' to 'post.points'",
    ]);
    expect(r.comparison.changes[1]).toMatchObject({ kind: 'rename_column', table: 'post', column: 'content', oldName: 'body' });
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });

  it('accepts candidates as objects and the text in any quoting', () => {
    const candidates = findRenameCandidates(db([members]), db([users]), options());
    expect(summary(compareSchemas(db([members]), db([users]), options({ renames: { accept: candidates } })).ops)).toEqual(['RenameTable users -> members']);
    expect(summary(compareSchemas(db([members]), db([users]), options({ renames: { accept: ['"users" = "members"'] } })).ops)).toEqual([
      'RenameTable users -> members',
    ]);
  });

  it('drops and adds what is rejected', () => {
    const r = compareSchemas(db([members]), db([users]), options({ renames: { reject: ['users=members'] }, dropUnmodeledTables: true }));
    expect(summary(r.ops)).toEqual(['CreateTable members', 'DropTable users']);
    const c = compareSchemas(
      db([model('t', [{ name: 'b', type: 'text' }])]),
      db([reflected('t', [col('a', 'text')])]),
      options({ renames: { reject: ['t.a=t.b'] } }),
    );
    expect(summary(c.ops)).toEqual(['AddColumn t.b', 'DropColumn t.a']);
  });

  it('settles the other candidates of an accepted rename, and reports the decisions that match nothing (not as warnings)', () => {
    const people = { ...members, name: 'people' };
    const r = compareSchemas(db([members, people]), db([users]), options({ renames: { accept: ['users=members', 'a.b=a.c'], reject: ['nobody=none'] } }));
    expect(summary(r.ops)).toEqual(['RenameTable users -> members', 'CreateTable people']);
    expect(r.unmatchedRenames).toEqual(['--rename a.b=a.c', '--no-rename nobody=none']);
    // Another bind of the same run may match them: whether to warn is the run's to say.
    expect(r.warnings).toEqual([]);
  });

  it('refuses contradictory decisions', () => {
    const people = { ...members, name: 'people' };
    const both = thrown(() => compareSchemas(db([members]), db([users]), options({ renames: { accept: ['users=members'], reject: ['users=members'] } })));
    expect(both).toBeInstanceOf(RenameArgumentError);
    expect(both.message).toContain('both accepted');
    const twice = thrown(() => compareSchemas(db([members, people]), db([users]), options({ renames: { accept: ['users=members', 'users=people'] } })));
    expect(twice).toBeInstanceOf(RenameArgumentError);
    expect(twice.message).toContain("'users=members' and 'users=people' are both accepted");
    expect(thrown(() => compareSchemas(db([members]), db([users]), options({ renames: { accept: ['users'] } })))).toBeInstanceOf(RenameArgumentError);
  });

  it('follows a renamed key column into the foreign keys of other tables', () => {
    const before = [users, post];
    const after = [
      model('users', [{ name: 'uid', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)', nullable: false }]),
      model('post', [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'author_id', type: 'integer', references: 'users.uid' },
        { name: 'body', type: 'text', nullable: false },
        { name: 'score', type: 'integer', default: 0 },
      ], { indexes: [{ columns: ['body'] }], checkConstraints: [{ name: 'ck_post_score', expression: 'score >= 0' }] }),
    ];
    for (const capabilities of [options().capabilities, SQLITE_LIKE]) {
      const r = roundTrip(db(after), db(before), options({ capabilities, renames: { accept: ['users.id=users.uid'] } }));
      expect(r.comparison.changes.map((c) => c.line)).toEqual(["Detected renamed column 'users.id' to 'users.uid'"]);
      expect(r.remainingAfterUpgrade).toEqual([]);
      expect(r.remainingAfterDowngrade).toEqual([]);
    }
  });

  it('renames a column inside the batch on SQLite', () => {
    const r = roundTrip(
      db([model('t', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'b', type: 'text' }, { name: 'c', type: 'integer' }])]),
      db([reflected('t', [col('id', 'integer', { primaryKey: true, nullable: false }), col('a', 'text')])]),
      options({ capabilities: SQLITE_LIKE, renames: { accept: ['t.a=t.b'] } }),
    );
    expect(summary(r.comparison.ops)).toEqual(['BatchAlterTable t [RenameColumn, AddColumn]']);
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });

  describe('an explicit --rename whose table or column also changed (no candidate: not the same shape)', () => {
    const posts = model('posts', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'title', type: 'varchar(50)', nullable: false },
    ], { indexes: [{ name: 'ix_title', columns: ['title'] }] });
    // Renamed, and changed: a new column, and the index (same name) over both columns.
    const articles = model('articles', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'title', type: 'varchar(50)', nullable: false },
      { name: 'summary', type: 'text' },
    ], { indexes: [{ name: 'ix_title', columns: ['title', 'summary'] }] });

    it('is no candidate, so nothing is asked; given, it renames the table, then changes it, and reverses cleanly', () => {
      expect(findRenameCandidates(db([articles]), db([posts]), options())).toEqual([]);
      for (const capabilities of [options().capabilities, SQLITE_LIKE]) {
        const r = roundTrip(db([articles]), db([posts]), options({ capabilities, renames: { accept: ['posts=articles'] }, dropUnmodeledTables: true }));
        expect(summary(r.comparison.ops)).toEqual(
          capabilities === SQLITE_LIKE
            ? ['RenameTable posts -> articles', 'BatchAlterTable articles [DropIndex, AddColumn, CreateIndex]']
            : ['RenameTable posts -> articles', 'DropIndex articles ix_title', 'AddColumn articles.summary', 'CreateIndex articles ix_title'],
        );
        expect(r.comparison.changes.map((c) => c.line)).toEqual([
          "Detected renamed table 'posts' to 'articles'",
          "Detected changed index 'ix_title' on 'articles': (title) to (title, summary)",
          "Detected added column 'articles.summary'",
        ]);
        expect(r.comparison.unmatchedRenames).toEqual([]);
        expect(r.remainingAfterUpgrade).toEqual([]);
        expect(r.remainingAfterDowngrade).toEqual([]);
        // The downgrade undoes the changes first, then renames the table back.
        expect(summary(downgrade(r.comparison.ops) as Op[]).at(-1)).toBe('RenameTable articles -> posts');
      }
    });

    it('renames a column, then alters its type and nullability', () => {
      const before = reflected('t', [col('id', 'integer', { primaryKey: true, nullable: false }), col('a', 'varchar(20)')]);
      const after = model('t', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'b', type: 'varchar(40)', nullable: false }]);
      expect(findRenameCandidates(db([after]), db([before]), options())).toEqual([]);
      for (const capabilities of [options().capabilities, SQLITE_LIKE]) {
        const r = roundTrip(db([after]), db([before]), options({ capabilities, renames: { accept: ['t.a=t.b'] } }));
        expect(summary(r.comparison.ops)).toEqual(
          capabilities === SQLITE_LIKE ? ['BatchAlterTable t [RenameColumn, AlterColumn]'] : ['RenameColumn t.a -> b', 'AlterColumn t.b'],
        );
        expect(r.comparison.unmatchedRenames).toEqual([]);
        expect(r.remainingAfterUpgrade).toEqual([]);
        expect(r.remainingAfterDowngrade).toEqual([]);
      }
    });

    it('still matches nothing when a name is missing, on the wrong side, or the table is in another schema', () => {
      const other = { ...articles, schema: 'archive' };
      for (const [models, database, accept] of [
        [[articles], [posts], 'nosuch=articles'],
        [[articles], [posts], 'posts=nosuch'],
        [[articles, posts], [posts], 'posts=articles'], // posts is still modelled: not a rename
        [[other], [posts], 'posts=articles'],
        [[articles], [posts], 'posts.title=posts.heading'],
      ] as const) {
        const r = compareSchemas(db(models), db(database), options({ renames: { accept: [accept] } }));
        expect(r.ops.some((o) => o.kind === 'RenameTable' || o.kind === 'RenameColumn')).toBe(false);
        expect(r.unmatchedRenames).toEqual([`--rename ${accept}`]);
      }
    });

    it('refuses two renames of the same table, one of them explicit', () => {
      const copy = { ...posts, name: 'posts_copy' };
      expect(findRenameCandidates(db([copy, articles]), db([posts]), options()).map((c) => c.argument)).toEqual(['posts=posts_copy']);
      const error = thrown(() => compareSchemas(db([copy, articles]), db([posts]), options({ renames: { accept: ['posts=articles', 'posts=posts_copy'] } })));
      expect(error).toBeInstanceOf(RenameArgumentError);
      // The explicit rename settles the candidate of the same table.
      expect(summary(compareSchemas(db([copy, articles]), db([posts]), options({ renames: { accept: ['posts=articles'] } })).ops)[0]).toBe('RenameTable posts -> articles');
    });
  });

  describe('a column renamed inside a renamed table', () => {
    const posts = reflected('posts', [col('id', 'integer', { primaryKey: true, nullable: false }), col('title', 'varchar(50)', { nullable: false })]);
    const articles = model('articles', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'headline', type: 'varchar(50)', nullable: false },
      { name: 'summary', type: 'text' },
    ]);

    it('is a candidate once the table rename is accepted, and undecided it is refused, never dropped', () => {
      expect(findRenameCandidates(db([articles]), db([posts]), options())).toEqual([]);
      expect(findRenameCandidates(db([articles]), db([posts]), options({ renames: { accept: ['posts=articles'] } }))).toEqual([
        { kind: 'column', table: 'articles', column: 'title', newName: 'headline', argument: 'articles.title=articles.headline' },
      ]);
      for (const capabilities of [options().capabilities, SQLITE_LIKE]) {
        const error = thrown(() => compareSchemas(db([articles]), db([posts]), options({ capabilities, bind: 'app', renames: { accept: ['posts=articles'] } })));
        expect(error).toBeInstanceOf(RenameDecisionRequiredError);
        expect((error as RenameDecisionRequiredError).candidates.map((c) => c.argument)).toEqual(['articles.title=articles.headline']);
        expect(error.message).toContain("column 'articles.title' -> 'articles.headline': --rename articles.title=articles.headline");
      }
    });

    it('accepted by the table\'s old or new name: renames the table, then the column, adds the rest, drops nothing, and reverses cleanly', () => {
      for (const decision of ['posts.title=posts.headline', 'articles.title=articles.headline']) {
        for (const capabilities of [options().capabilities, SQLITE_LIKE]) {
          const r = roundTrip(db([articles]), db([posts]), options({ capabilities, renames: { accept: ['posts=articles', decision] } }));
          expect(summary(r.comparison.ops)).toEqual(
            capabilities === SQLITE_LIKE
              ? ['RenameTable posts -> articles', 'BatchAlterTable articles [RenameColumn, AddColumn]']
              : ['RenameTable posts -> articles', 'RenameColumn articles.title -> headline', 'AddColumn articles.summary'],
          );
          expect(r.comparison.changes.map((c) => c.line)).toEqual([
            "Detected renamed table 'posts' to 'articles'",
            "Detected renamed column 'articles.title' to 'articles.headline'",
            "Detected added column 'articles.summary'",
          ]);
          expect(r.comparison.unmatchedRenames).toEqual([]);
          expect(r.remainingAfterUpgrade).toEqual([]);
          expect(r.remainingAfterDowngrade).toEqual([]);
          const back = summary(downgrade(r.comparison.ops) as Op[]);
          expect(back.at(-1)).toBe('RenameTable articles -> posts');
          if (capabilities !== SQLITE_LIKE) expect(back).toEqual(['DropColumn articles.summary', 'RenameColumn articles.headline -> title', 'RenameTable articles -> posts']);
        }
      }
    });

    it('rejected by either name: the column is dropped and added; a decision of another shape renames then alters it', () => {
      for (const decision of ['posts.title=posts.headline', 'articles.title=articles.headline']) {
        const r = compareSchemas(db([articles]), db([posts]), options({ renames: { accept: ['posts=articles'], reject: [decision] } }));
        expect(summary(r.ops)).toEqual(['RenameTable posts -> articles', 'AddColumn articles.headline', 'AddColumn articles.summary', 'DropColumn articles.title']);
        expect(r.unmatchedRenames).toEqual([]);
      }
      const wider = model('articles', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'headline', type: 'varchar(80)', nullable: false }]);
      expect(findRenameCandidates(db([wider]), db([posts]), options({ renames: { accept: ['posts=articles'] } }))).toEqual([]);
      const r = roundTrip(db([wider]), db([posts]), options({ renames: { accept: ['posts=articles', 'posts.title=posts.headline'] } }));
      expect(summary(r.comparison.ops)).toEqual(['RenameTable posts -> articles', 'RenameColumn articles.title -> headline', 'AlterColumn articles.headline']);
      expect(r.remainingAfterUpgrade).toEqual([]);
      expect(r.remainingAfterDowngrade).toEqual([]);
    });

    it('an explicit table rename of another shape has its column candidates too', () => {
      // articles has a column posts lacks and one renamed: no table candidate, but the person said so.
      const error = thrown(() => compareSchemas(db([articles]), db([posts]), options({ renames: { accept: ['posts=articles'] } })));
      expect(error).toBeInstanceOf(RenameDecisionRequiredError);
      // Without the table decision, the table's columns are not asked about (the table is not renamed).
      const r = compareSchemas(db([articles]), db([posts]), options({ renames: { accept: ['posts.title=posts.headline'] } }));
      expect(summary(r.ops)).toEqual(['CreateTable articles']);
      expect(r.unmatchedRenames).toEqual(['--rename posts.title=posts.headline']);
    });
  });

  it('warns about the views over a renamed table or column', () => {
    const objects = [{ type: 'view' as const, name: 'v_posts', sql: '…', references: [{ table: 'post', column: 'body' }, { table: 'users' }] }];
    const r = compareSchemas(db([members, postRenamed]), db([users, post], [], objects), options({ renames: { accept: ['users=members', 'post.body=post.content', 'post.score=post.points'] } }));
    expect(r.warnings).toEqual([
      "view 'v_posts' uses column 'post.body', which this revision renames",
      "view 'v_posts' uses table 'users', which this revision renames",
    ]);
  });
});
