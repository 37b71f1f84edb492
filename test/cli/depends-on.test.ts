// A db2 revision that depends on a default revision: cross-bind ordering. One project, tests in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('--depends-on across binds', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());
  const rev = { d1: '', d2: '', b1: '' };
  /** What the revisions ran, in order: one `up <rev>` / `down <rev>` line each (a file both binds' revisions append to). */
  const log = () => (p.exists('order.log') ? lines(p.read('order.log')) : []);
  const body = (table: string) => {
    const note = (dir: string) =>
      `appendFileSync(new URL('../../../order.log', import.meta.url), \`${dir} \${revision}\\n\`);`;
    return {
      upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  ${note('up')}`,
      downgrade: `await op.dropTable('${table}');\n  ${note('down')}`,
    };
  };
  const withFs = (file: string) => p.write(file, `import { appendFileSync } from 'node:fs';\n${p.read(file)}`);

  beforeAll(async () => {
    await p.ok('init', '--multidb');
    const d1 = await p.revision('-m', 'create catalog', '--bind', 'default');
    const d2 = await p.revision('-m', 'create later', '--bind', 'default');
    const b1 = await p.revision('-m', 'create orders', '--bind', 'db2', '--depends-on', d1.id.slice(0, 5));
    for (const [r, table] of [[d1, 'catalog'], [d2, 'later'], [b1, 'orders']] as const) {
      p.fill(r.file, body(table));
      withFs(r.file);
    }
    Object.assign(rev, { d1: d1.id, d2: d2.id, b1: b1.id });
    // The prefix given to --depends-on is written as the full id.
    expect(p.read(b1.file)).toContain(`export const dependsOn = ['${rev.d1}'];`);
    expect(p.read(b1.file)).toContain(`export const branchLabels = ['db2'];`);
  });

  it('show names the dependency', async () => {
    const out = await p.ok('show', rev.b1);
    expect(lines(out.stdout)).toContain(`Also depends on: ${rev.d1}`);
  });

  it('upgrade db2 on fresh databases applies the default revision it depends on first (and no more)', async () => {
    const out = await p.ok('upgrade', 'db2');
    expect(lines(out.stderr)).toEqual([
      `[default] Running upgrade <base> -> ${rev.d1}, create catalog`,
      `[db2] Running upgrade <base> -> ${rev.b1}, create orders`,
    ]);
    expect(log()).toEqual([`up ${rev.d1}`, `up ${rev.b1}`]);
    expect(p.versionsApplied('default')).toEqual([rev.d1]);
    expect(p.tables('default')).toEqual(['catalog', 'multidb_version']);
    expect(p.versionsApplied('db2')).toEqual([rev.b1]);
    expect(p.tables('db2')).toEqual(['multidb_version', 'orders']);
  });

  it('downgrade default@base refuses while the dependent db2 revision is applied, naming it; nothing changes', async () => {
    const out = await p.run('downgrade', 'default@base');
    expect(out.code).toBe(1);
    const error = lines(out.stderr).find((l) => l.startsWith('ERROR:')) ?? '';
    expect(error).toContain(rev.b1);
    expect(error).toContain(rev.d1);
    expect(error).toMatch(/db2/);
    expect(out.stderr).not.toMatch(/Running/);
    expect(log()).toEqual([`up ${rev.d1}`, `up ${rev.b1}`]);
    expect(p.versionsApplied('default')).toEqual([rev.d1]);
    expect(p.tables('default')).toEqual(['catalog', 'multidb_version']);
    expect(p.versionsApplied('db2')).toEqual([rev.b1]);
    expect(p.tables('db2')).toEqual(['multidb_version', 'orders']);
  });

  it('upgrade brings default to its head; downgrade base then undoes the dependent db2 revision before its dependency', async () => {
    await p.ok('upgrade');
    expect(p.versionsApplied('default')).toEqual([rev.d2]);
    await p.ok('downgrade', 'base');
    const downs = log().filter((l) => l.startsWith('down '));
    expect(downs).toHaveLength(3);
    expect(downs.indexOf(`down ${rev.b1}`)).toBeLessThan(downs.indexOf(`down ${rev.d1}`));
    expect(downs.indexOf(`down ${rev.d2}`)).toBeLessThan(downs.indexOf(`down ${rev.d1}`));
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.versionsApplied('db2')).toEqual([]);
    expect(p.tables('default')).toEqual(['multidb_version']);
    expect(p.tables('db2')).toEqual(['multidb_version']);
  });
});

// As in Alembic (RevisionMap._add_depends_on, ScriptDirectory.generate_revision): a branch label in
// depends-on names the revision that carries it, and `revision --depends-on` writes it as given.
describe('--depends-on a branch label', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());

  it('is written as given, orders the run by the revision carrying it, and a target is written as its full id', async () => {
    await p.ok('init', '--multidb');
    const d1 = await p.revision('-m', 'create catalog', '--bind', 'default');
    const d2 = await p.revision('-m', 'create later', '--bind', 'default');
    const b1 = await p.revision('-m', 'create orders', '--bind', 'db2', '--depends-on', 'default');
    const b2 = await p.revision('-m', 'add later link', '--bind', 'db2', '--depends-on', 'default@head');
    expect(p.read(b1.file)).toContain(`export const dependsOn = ['default'];`);
    expect(p.read(b2.file)).toContain(`export const dependsOn = ['${d2.id}'];`);
    p.fill(d1.file, { upgrade: `await op.createTable('catalog', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('catalog');` });
    expect(lines((await p.ok('show', b1.id)).stdout)).toContain('Also depends on: default');

    // db2's first revision needs default's root (the label's revision), not default's head.
    const out = await p.ok('upgrade', `db2@${b1.id}`);
    expect(lines(out.stderr)).toEqual([`[default] Running upgrade <base> -> ${d1.id}, create catalog`, `[db2] Running upgrade <base> -> ${b1.id}, create orders`]);
    expect(p.versionsApplied('default')).toEqual([d1.id]);

    // Taking default's root back first takes back what depends on it through the label.
    const refused = await p.run('downgrade', 'default@base');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(b1.id);
    expect(p.versionsApplied('db2')).toEqual([b1.id]);

    // A reference naming several revisions (or none) is refused, nothing written.
    const several = await p.run('revision', '-m', 'x', '--bind', 'db2', '--depends-on', 'heads');
    expect(several.code).toBe(1);
    expect(several.stderr).toMatch(/--depends-on 'heads' names several revisions/);
  });
});
