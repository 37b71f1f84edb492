// `check` and `migrate migrate` refuse a bind that is not at its branch's head (Alembic's "Target
// database is not up to date"). What they say to do must work: with two developers' revisions
// from one head, "Run 'migrate upgrade app' first" led to an upgrade that refuses the two heads.
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteModelsConfig, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';

const MODELS = `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 'note', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });\n`;

describe('check and migrate on a bind that is not at its head say what to run', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  it('two heads: merge them (the upgrade it used to advise refuses); a version table naming an unknown revision: stamp --purge', async () => {
    p = new InProcessProject([], { config: sqliteModelsConfig({ app: './models.ts' }) });
    await p.ok('init', '--multidb');
    p.write('models.ts', MODELS);
    await p.ok('migrate', '-m', 'initial');
    await p.ok('upgrade');
    const [initial] = p.versionsApplied('app');
    const one = await p.revision('-m', 'one', '--bind', 'app');
    const two = await p.revision('-m', 'two', '--bind', 'app', '--head', initial!, '--splice');

    for (const command of [['check'], ['migrate', '-m', 'next']]) {
      const refused = await p.run(...command);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `[app] Target database is not up to date: it is at ${initial}, and its branch has 2 heads (${[one.id, two.id].sort().join(', ')}). ` +
          "Merge them first ('migrate merge heads --bind app -m MSG'), then run 'migrate upgrade app'.",
      );
    }
    // The advice works as written.
    expect((await p.run('upgrade', 'app')).code).toBe(1);
    await p.ok('merge', '-m', 'MSG', '--bind', 'app', 'heads');
    await p.ok('upgrade', 'app');
    expect((await p.run('check')).code).toBe(0);

    const head = p.versionsApplied('app')[0]!;
    p.exec('app', "UPDATE multidb_version SET version_num = 'feedface0000'");
    const unknown = await p.run('check');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      `[app] Target database is not up to date: it is at feedface0000, which no revision script declares (feedface0000: a revision file removed, or stamped from another repository); its branch's head is ${head}. ` +
        "Restore the revision, or stamp the bind to the revision its schema matches ('migrate stamp --purge app@<rev>').",
    );
    await p.ok('stamp', '--purge', `app@${head}`);
    expect((await p.run('check')).code).toBe(0);
  });
});
