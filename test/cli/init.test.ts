import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';

describe('migrate init --multidb in an empty folder', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());

  it('writes the repository and a starter config, and touches no database', async () => {
    const out = await p.ok('init', '--multidb');
    expect(p.files()).toEqual([
      'migrate.config.ts',
      'migrations/README',
      'migrations/script.ts.tmpl',
      'migrations/versions/db2/.gitkeep',
      'migrations/versions/default/.gitkeep',
    ]);
    expect(p.exists('.data')).toBe(false);
    expect(out.stdout).toMatch(/^Generating .*migrate\.config\.ts \.\.\.\s+done$/m);

    // The starter config: defineConfig with both binds on SQLite files next to it.
    const config = p.read('migrate.config.ts');
    expect(config).toContain(`import { defineConfig } from '@multidb/core';`);
    expect(config).toContain(`directory: 'migrations'`);
    expect(config).toContain(`default: { url: 'sqlite:.data/default.db' }`);
    expect(config).toContain(`db2: { url: 'sqlite:.data/db2.db' }`);

    // The template carries every placeholder of DESIGN §5.
    const template = p.read('migrations/script.ts.tmpl');
    for (const name of ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'message', 'createDate', 'imports', 'upgrades', 'downgrades', 'operationsType']) {
      expect(template).toContain('${' + name + '}');
    }
    expect(p.read('migrations/README').length).toBeGreaterThan(0);
  });

  it('leaves a project the other commands load, still without touching a database', async () => {
    const heads = await p.ok('heads');
    expect(heads.stdout).toBe('');
    const history = await p.ok('history');
    expect(history.stdout).toBe('');
    expect(p.exists('.data')).toBe(false);
  });

  it('refuses a second init and overwrites nothing', async () => {
    p.write('migrations/README', 'my own notes\n');
    p.write('migrate.config.ts', p.read('migrate.config.ts') + '// edited\n');
    const before = new Map(p.files().map((f) => [f, p.read(f)]));

    const out = await p.run('init', '--multidb');
    expect(out.code).not.toBe(0);
    // Alembic: "FAILED: Directory migrations already exists and is not empty".
    expect(out.stderr).toBe(
      `ERROR: Directory ${p.dir}/migrations already exists and is not empty; nothing was written. 'migrate init' writes only into a new or empty folder; ` +
        `to start a new bind's branch in an existing repository, write its first revision ('migrate revision -m MSG --bind <bind>').\n`,
    );
    expect(out.stdout).toBe('');

    expect(p.files()).toEqual([...before.keys()]);
    for (const [file, text] of before) expect(p.read(file), file).toBe(text);
    expect(p.exists('.data')).toBe(false);
  });
});

describe('migrate init --multidb with an existing config', () => {
  const config = `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'db/migrations',
  binds: {
    default: { url: 'sqlite:.data/default.db' },
    db2: { url: 'sqlite:.data/db2.db' },
    analytics: { url: 'sqlite:.data/analytics.db', branch: 'stats' },
  },
});
`;
  const p = new InProcessProject([], { config });
  afterAll(() => p.remove());

  it("takes the config's binds (a bind's branch names its folder) and directory, keeps the config and says so", async () => {
    const out = await p.ok('init', '--multidb');
    // Alembic into a project with an alembic.ini: "File …/alembic.ini already exists, skipping"; its
    // "Please edit …" is about a config it wrote, so multidb says it only after a starter config.
    expect(out.stdout).toBe(
      [
        `Creating directory ${p.dir}/db/migrations ...  done`,
        `Generating ${p.dir}/db/migrations/README ...  done`,
        `Generating ${p.dir}/db/migrations/script.ts.tmpl ...  done`,
        `Generating ${p.dir}/db/migrations/versions/default/.gitkeep ...  done`,
        `Generating ${p.dir}/db/migrations/versions/db2/.gitkeep ...  done`,
        `Generating ${p.dir}/db/migrations/versions/stats/.gitkeep ...  done`,
        `File ${p.dir}/migrate.config.ts already exists, skipping`,
        '',
      ].join('\n'),
    );
    expect(out.stderr).toBe('');
    expect(p.files()).toEqual([
      'db/migrations/README',
      'db/migrations/script.ts.tmpl',
      'db/migrations/versions/db2/.gitkeep',
      'db/migrations/versions/default/.gitkeep',
      'db/migrations/versions/stats/.gitkeep',
      'migrate.config.ts',
    ]);
    expect(p.read('migrate.config.ts')).toBe(config);
    expect(out.stdout).not.toMatch(/Generating .*migrate\.config\.ts/);
    expect(p.exists('.data')).toBe(false);
  });

  it("puts the first revision of a bind with `branch` into that branch's folder, labelled with the branch", async () => {
    const { id, file } = await p.revision('-m', 'first stats', '--bind', 'analytics');
    expect(file).toBe(`db/migrations/versions/stats/${id}_first_stats.ts`);
    const source = p.read(file);
    expect(source).toContain(`export const branchLabels = ['stats'];`);
    expect(source).toContain(`export const downRevision = null;`);
    expect(p.exists('.data')).toBe(false);
  });
});

describe('migrate init: what it writes and what it leaves', () => {
  it('into an existing empty folder: no "Creating directory" line (as Alembic), then the starter config and its note', async () => {
    const p = new InProcessProject([], { config: false });
    try {
      mkdirSync(join(p.dir, 'migrations'));
      const out = await p.ok('init');
      expect(out.stdout).toBe(
        [
          `Generating ${p.dir}/migrations/README ...  done`,
          `Generating ${p.dir}/migrations/script.ts.tmpl ...  done`,
          `Generating ${p.dir}/migrations/versions/default/.gitkeep ...  done`,
          `Generating ${p.dir}/migrate.config.ts ...  done`,
          `Please edit ${p.dir}/migrate.config.ts to set your database URLs before running 'migrate upgrade'.`,
          '',
        ].join('\n'),
      );
    } finally {
      p.remove();
    }
  });

  // Was: `init --multidb --bind __proto__` wrote `__proto__: { url: … }` into the starter config,
  // which JavaScript takes as the binds object's prototype: the bind was dropped without a word.
  it('a bind name every JavaScript object has (__proto__, constructor, toString, …): refused at init, nothing written, and at config load', async () => {
    const p = new InProcessProject([], { config: false });
    try {
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const out = await p.run('init', '--multidb', '--bind', 'db2', '--bind', name);
        expect(out.code, out.stderr).toBe(1);
        expect(out.stderr).toBe(
          `ERROR: Invalid bind name '${name}': every JavaScript object has a property named '${name}' (Object.prototype.${name}), so it cannot name a bind or a branch: choose another name, e.g. '${name.replace(/^_+|_+$/g, '')}_db'; nothing was written.\n`,
        );
        expect(p.files()).toEqual([]);
      }
      // A config written by hand: refused as it loads, by every command.
      p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { db2: { url: 'sqlite:.data/db2.db' }, __proto__: { url: 'sqlite:.data/p.db' } } });\n`);
      for (const args of [['current'], ['upgrade'], ['heads']]) {
        const out = await p.run(...args);
        expect(out.code, args.join(' ')).toBe(1);
        expect(out.stderr).toContain("a bind named '__proto__', which an object literal takes as its prototype (the bind would be dropped)");
      }
      p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { db2: { url: 'sqlite:.data/db2.db' }, constructor: { url: 'sqlite:.data/c.db' } } });\n`);
      const out = await p.run('current');
      expect(out.code).toBe(1);
      expect(out.stderr).toContain("bind name 'constructor' is invalid: every JavaScript object has a property named 'constructor'");
      expect(p.files()).toEqual(['migrate.config.ts']);
    } finally {
      p.remove();
    }
  });

  it('a repository folder that is not empty: refused before the starter config is written', async () => {
    const p = new InProcessProject([], { config: false });
    try {
      p.write('migrations/script.ts.tmpl', 'my template\n');
      const out = await p.run('init', '--multidb');
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/already exists and is not empty; nothing was written/);
      expect(p.files()).toEqual(['migrations/script.ts.tmpl']);
      expect(p.read('migrations/script.ts.tmpl')).toBe('my template\n');
    } finally {
      p.remove();
    }
  });

  it("without --multidb, an existing config's first bind gets the versions folder (not a 'default' no bind follows)", async () => {
    const p = new InProcessProject(['main', 'reports']);
    try {
      await p.ok('init');
      expect(p.files('migrations/versions')).toEqual(['migrations/versions/main/.gitkeep']);
      expect((await p.ok('heads')).stdout).toBe('');
    } finally {
      p.remove();
    }
  });

  it('--config naming a file that does not exist: the starter config is written there, naming the repository from there', async () => {
    const p = new InProcessProject([], { config: false });
    try {
      const out = await p.ok('--config', 'conf/db.config.ts', 'init');
      expect(out.stdout.split('\n').slice(-3)).toEqual([
        `Generating ${p.dir}/conf/db.config.ts ...  done`,
        `Please edit ${p.dir}/conf/db.config.ts to set your database URLs before running 'migrate upgrade'.`,
        '',
      ]);
      expect(p.exists('migrate.config.ts')).toBe(false);
      expect(p.read('conf/db.config.ts')).toContain(`directory: '../migrations'`);
      expect((await p.ok('--config', 'conf/db.config.ts', 'revision', '-m', 'first')).stdout).toMatch(/^Generating .*\/migrations\/versions\/default\/\w+_first\.ts \.\.\.\s+done$/m);
      // A config to create must be a module it can write.
      const json = await p.run('--config', 'db.json', 'init', '--directory', 'elsewhere');
      expect(json.code).toBe(1);
      expect(json.stderr).toMatch(/^ERROR: Config file not found: .*db\.json, and 'migrate init' writes a new config only as \*\.ts, \*\.mts, \*\.js, \*\.mjs; nothing was written/m);
      expect(p.exists('elsewhere')).toBe(false);
    } finally {
      p.remove();
    }
  });

  it("--directory other than the existing config's, or --bind with one: written, with a warning that says what the config still says", async () => {
    const p = new InProcessProject(['default']);
    try {
      const out = await p.ok('init', '--directory', 'other', '--bind', 'x');
      expect(p.files('other')).toEqual(['other/README', 'other/script.ts.tmpl', 'other/versions/default/.gitkeep']);
      expect(out.stdout).toMatch(/^File .*migrate\.config\.ts already exists, skipping$/m);
      expect(out.stderr.split('\n')).toEqual([
        `WARNING: --bind x ignored: it names the binds of a new config, and ${p.dir}/migrate.config.ts exists.`,
        `WARNING: ${p.dir}/migrate.config.ts names the repository ${p.dir}/migrations, not ${p.dir}/other: the other commands read ${p.dir}/migrations until its 'directory' is changed.`,
        '',
      ]);
    } finally {
      p.remove();
    }
  });
});
