// `migrate migrate` on a terminal asks about each rename candidate no `--rename`/`--no-rename`
// decided, then again about the columns of a table its answers rename. A column of a renamed table
// (posts → articles, title → headline: another shape, so the table is renamed by `--rename
// posts=articles`) may be decided on the command line by the table's old name (`--rename
// posts.title=posts.headline`), as compareSchemas honours it. The prompt compared that decision's
// text with the candidate's (`articles.title=articles.headline`) and asked about the column again
// (a "no" there would contradict the `--rename`). Now a decision naming a renamed table by its old
// name decides the column: the prompt asks only about what is left open (comments.body →
// comments.note). Driven through tmux (a terminal, as the prompt needs), on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, sqliteModelsConfig, TempProject } from '../support/project.js';
import { hasTmux, TmuxSession } from '../tui/tmux.js';

function models(renamed: boolean): string {
  const table = (name: string, column: string) => `{ name: '${name}', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: '${column}', type: 'varchar(50)', nullable: false }] }`;
  const tables = renamed ? [table('articles', 'headline'), table('comments', 'note')] : [table('posts', 'title'), table('comments', 'body')];
  return `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [${tables.join(', ')}] });\n`;
}

/** A question of the prompt, up to the end of its line. */
const QUESTION = /\[default\] Is (?:table|column) .*\[y\/N\]/g;

describe('the rename prompt, a column of a renamed table decided by the table’s old name', () => {
  const p = new TempProject([], { config: sqliteModelsConfig({ default: './models.ts' }) });
  const sessions: TmuxSession[] = [];
  afterAll(() => {
    sessions.forEach((s) => s.kill());
    p.remove();
  });
  beforeAll(async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    p.write('models.ts', models(false));
    await p.ok('init', '--multidb');
    await p.ok('migrate', '-m', 'posts');
    await p.ok('upgrade');
    p.write('models.ts', models(true));
  });

  /** Runs `migrate ARGS` on a terminal; the caller answers its questions. */
  function start(...args: string[]): TmuxSession {
    const session = TmuxSession.start({
      cwd: p.dir,
      command: [process.execPath, MIGRATE_BIN, ...args].map((arg) => JSON.stringify(arg)).join(' '),
      env: { NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm-256color' },
      columns: 200,
      rows: 40,
    });
    sessions.push(session);
    return session;
  }

  it('asks only about what the command line left open, then renames the table and both columns', async () => {
    const s = start('migrate', '-m', 'articles', '--rename', 'posts=articles', '--rename', 'posts.title=posts.headline');
    // The first question, and the only one: comments.body (articles.title was decided, by posts' old name).
    const first = await s.waitFor(QUESTION);
    expect(first.match(QUESTION)).toEqual(["[default] Is column 'comments.body' renamed to 'comments.note'? (no: drop the old one and add the new one) [y/N]"]);
    const screen = await s.press(['y', 'Enter'], /EXIT:\d+|Is column 'articles/);
    expect(screen.match(QUESTION)).toHaveLength(1);
    expect(screen).toContain('EXIT:0');
    expect(screen).toContain("[default] Detected renamed table 'posts' to 'articles'");
    expect(screen).toContain("[default] Detected renamed column 'articles.title' to 'articles.headline'");
    expect(screen).toContain("[default] Detected renamed column 'comments.body' to 'comments.note'");
    expect(screen).not.toMatch(/Detected (added|removed) column|WARNING/);
  });
});
