// `migrate codegen --verify` after the revision template (script.ts.tmpl) is edited. The types
// file's header names the alias revisions give the bind's `DB` (`DB as Db2`), which follows the
// template: one that uses the identifier `Db2`, even in a comment, makes new revisions import
// `DB as Db2Db`. That changes nothing in the types, so --verify keeps finding them current (was:
// exit 4, "differs from the database", though the database had not changed); `migrate codegen`
// rewrites the header. A schema change is still found. Through the built `migrate`, on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('codegen --verify after a revision template edit [sqlite]', () => {
  let p: TempProject;
  let template: string;

  beforeAll(async () => {
    p = new InProcessProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { db2: { url: 'sqlite:.data/db2.db', types: './types/db2.ts' } } });\n`,
    });
    await p.ok('init', '--multidb');
    const first = await p.revision('-m', 'item');
    p.write(first.file, p.read(first.file).replace(/(upgrade\(op[^{]*\{)/, "$1\n  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);"));
    await p.ok('upgrade');
    await p.ok('codegen');
    template = p.read('migrations/script.ts.tmpl');
  });
  afterAll(() => p?.remove());

  it('template edits, also one that changes the alias (the template names Db2): current; codegen rewrites the header, new revisions import DB as Db2Db; a schema change: stale', async () => {
    p.write('migrations/script.ts.tmpl', `// Our revisions: one change each.\n${template}`);
    const unrelated = await p.run('codegen', '--verify');
    expect(unrelated.code, unrelated.stdout + unrelated.stderr).toBe(0);

    p.write('migrations/script.ts.tmpl', `// Db2 is the billing database.\n${template}`);
    const verify = await p.run('codegen', '--verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(lines(verify.stdout)).toEqual(['[db2] types/db2.ts matches the database.']);

    const second = await p.revision('-m', 'next');
    expect(p.read(second.file)).toContain("import type { DB as Db2Db } from '../../../types/db2.js';");
    expect(lines((await p.ok('codegen')).stdout)).toEqual(['[db2] Wrote types/db2.ts']);
    expect(p.read('types/db2.ts').split('\n')[2]).toBe("// Revisions of this bind import it as `import type { DB as Db2Db } from '…'` and take `op: Operations<Db2Db>`.");
    expect((await p.run('codegen', '--verify')).code).toBe(0);

    // A schema change is still found.
    p.exec('db2', 'CREATE TABLE extra (id integer)');
    const stale = await p.run('codegen', '--verify');
    expect(stale.code, stale.stdout + stale.stderr).toBe(4);
    expect(lines(stale.stdout)).toEqual(['[db2] types/db2.ts differs from the database.']);
  });
});
