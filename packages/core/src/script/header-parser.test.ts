import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ScriptError } from '../errors.js';
import { parseRevisionHeader } from './header-parser.js';
import { initRepository } from './repository-init.js';
import { ScriptDirectory } from './script-directory.js';

const FILE = 'versions/db2/3f2a_x.ts';

/** Runs the parser and returns the ScriptError it throws. */
function failure(source: string): ScriptError {
  try {
    parseRevisionHeader(source, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  throw new Error('expected a ScriptError');
}

describe('parseRevisionHeader: accepted forms', () => {
  it('reads the revision file of DESIGN §5', () => {
    const source = `// migrations/versions/db2/3f2a9c1d7b40_add_invoice_currency.ts
import type { Operations } from '@multidb/core';

export const revision = '3f2a9c1d7b40';
export const downRevision = '1bc594146bb5';   // string | string[] (merge) | null (branch root)
export const branchLabels = [];               // the branch root carries ['db2']
export const dependsOn = [];
export const message = 'add invoice currency';
export const createDate = '2026-11-23T10:04:00Z';

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', nullable: true } });
}
`;
    expect(parseRevisionHeader(source, FILE)).toEqual({
      revision: '3f2a9c1d7b40',
      downRevisions: ['1bc594146bb5'],
      branchLabels: [],
      dependsOn: [],
      message: 'add invoice currency',
      createDate: '2026-11-23T10:04:00Z',
    });
  });

  it('takes single quotes, double quotes and backticks without substitutions', () => {
    const h = parseRevisionHeader(
      'export const revision = "abc";\nexport const downRevision = `def`;\nexport const message = `it\'s "fine"`;\n',
      FILE,
    );
    expect(h.revision).toBe('abc');
    expect(h.downRevisions).toEqual(['def']);
    expect(h.message).toBe(`it's "fine"`);
  });

  it('decodes escapes in strings', () => {
    const h = parseRevisionHeader(
      String.raw`export const revision = 'a1';
export const downRevision = null;
export const message = 'it\'s \u00e9\x41\n\\ \u{1F600} "q"';
`,
      FILE,
    );
    expect(h.message).toBe(`it's éA\n\\ \u{1F600} "q"`);
  });

  it('reads null as a branch root and an array as a merge', () => {
    expect(parseRevisionHeader("export const revision = 'a';\nexport const downRevision = null;", FILE).downRevisions).toEqual([]);
    expect(
      parseRevisionHeader("export const revision = 'm';\nexport const downRevision = ['a', \"b\", `c`,];", FILE).downRevisions,
    ).toEqual(['a', 'b', 'c']);
  });

  it('applies defaults: message empty, arrays empty, no createDate', () => {
    const h = parseRevisionHeader("export const revision = 'a';\nexport const downRevision = null;\n", FILE);
    expect(h).toEqual({ revision: 'a', downRevisions: [], branchLabels: [], dependsOn: [], message: '' });
    expect('createDate' in h).toBe(false);
  });

  it('takes a single string or null for branchLabels and dependsOn', () => {
    const h = parseRevisionHeader(
      "export const revision = 'a';\nexport const downRevision = null;\nexport const branchLabels = 'db2';\nexport const dependsOn = null;\nexport const createDate = null;",
      FILE,
    );
    expect(h.branchLabels).toEqual(['db2']);
    expect(h.dependsOn).toEqual([]);
    expect(h.createDate).toBeUndefined();
  });

  it('takes multi-line arrays with comments between every token', () => {
    const source = `
/* leading block
   comment */
export /* a */ const /* b */ revision /* c */ = /* d */ 'merge1' /* e */ ; // f
export const downRevision = [
  // first parent
  'aaa', /* second parent: */
  'bbb', // trailing comma next
] ;
export const dependsOn: readonly string[] = [
  'ccc'
];
`;
    const h = parseRevisionHeader(source, FILE);
    expect(h.revision).toBe('merge1');
    expect(h.downRevisions).toEqual(['aaa', 'bbb']);
    expect(h.dependsOn).toEqual(['ccc']);
  });

  it('takes type annotations and as const', () => {
    const source = `
export const revision: string = 'a1';
export const downRevision: string | null = null;
export const branchLabels: string[] = ['db2'] as const;
export const dependsOn: readonly string[] = [] as const;
export const message: string = 'm' as const;
export const createDate: Array<string> | string | null = '2026-01-01T00:00:00Z';
`;
    expect(parseRevisionHeader(source, FILE)).toEqual({
      revision: 'a1',
      downRevisions: [],
      branchLabels: ['db2'],
      dependsOn: [],
      message: 'm',
      createDate: '2026-01-01T00:00:00Z',
    });
  });

  it('spans lines and accepts a declaration without a semicolon', () => {
    const source = `export const revision =
  'a1'
export const downRevision
  =
  'b2'
export const message = 'last'`;
    const h = parseRevisionHeader(source, FILE);
    expect([h.revision, h.downRevisions, h.message]).toEqual(['a1', ['b2'], 'last']);
  });

  it('handles CRLF line endings, a BOM and a hashbang', () => {
    const source = "\ufeff#!/usr/bin/env node\r\nexport const revision = 'a1';\r\n// x\r\nexport const downRevision = 42;\r\n";
    expect(failure(source).line).toBe(4);
  });

  it('ignores header names inside comments of the prologue, and strings, templates, regexes and nested blocks of the body', () => {
    const source = `
// export const revision = 'comment';
/* export const downRevision = 'block'; */
export const revision = 'real';
export const downRevision = 'parent';
const s = "export const revision = 'string'";
const t = \`export const revision = 'template' \${ \`export const message = \${'x'}\` } more\`;
const r = /export const revision = '["']/g;
const d = 4 / 2; const e = d / 1; // division, not a regex
namespace N { export const revision = 'nested'; }
function f() { export const message = 'nested too'; }
declare module 'x' { export const dependsOn = ['x']; }
const q = s.replace(/'/g, "''");
export function upgrade() { const message = 'local'; return message + q; } // export const message = 'm';
`;
    const h = parseRevisionHeader(source, FILE);
    expect(h.revision).toBe('real');
    expect(h.downRevisions).toEqual(['parent']);
    expect(h.message).toBe('');
    expect(h.dependsOn).toEqual([]);
  });

  it('is not misled by a regular expression literal after ) in the code', () => {
    // The old reader's general lexer took `/` after `)` for a division, so it read the text of
    // this pattern as a header with a bad value ("f.ts:7: message must be a string, written as a
    // literal alone"); code after the prologue is no longer tokenized.
    const source = `import type { Operations } from '@multidb/core';

export const revision = 'a1';
export const downRevision = null;

const DEBUG = process.env.DEBUG;
if (DEBUG) /export const message = 'x'/.test('');

export async function upgrade(op: Operations): Promise<void> {
  const ok = (op) && /[\`'"{(]/.test('{');
  await op.execute(\`SELECT 1\`);
}
`;
    expect(parseRevisionHeader(source, FILE)).toEqual({ revision: 'a1', downRevisions: [], branchLabels: [], dependsOn: [], message: '' });
  });

  it('reads the prologue: every import form, comments, and headers in any order', () => {
    const source = `/**
 * A review comment, as autogenerate writes it.
 */
import type { Operations } from '@multidb/core';
import {
  readFileSync, // a comment in the list
  type PathLike,
} from 'node:fs';
import './side-effect.js'
import * as path from "node:path";
import data, { 'odd-name' as odd } from './data.json' with { type: 'json' };

/** The parent. */
export const downRevision = 'p0';
import { later } from './later.js';
// the id
export const revision = 'r1' as const;
export const createDate = null;
export const message = 'm';
export const dependsOn = [
  'other',
];
export const branchLabels = [] as const;
export async function upgrade(op: Operations): Promise<void> {}
`;
    expect(parseRevisionHeader(source, FILE)).toEqual({
      revision: 'r1',
      downRevisions: ['p0'],
      branchLabels: [],
      dependsOn: ['other'],
      message: 'm',
    });
  });

  it('ends the prologue at the first other statement; exports after it are not headers', () => {
    const source = `export const revision = 'a';
export const downRevision = null;
export const transaction = false;
export default { revision: 'x' };
export const revision2 = 'x';
export { upgrade as up, downgrade };
const message = 'local';
export async function upgrade() {}
export async function downgrade() {}
`;
    expect(parseRevisionHeader(source, FILE)).toEqual({ revision: 'a', downRevisions: [], branchLabels: [], dependsOn: [], message: '' });
  });

  it('returns frozen values', () => {
    const h = parseRevisionHeader("export const revision = 'a';\nexport const downRevision = ['b', 'c'];", FILE);
    expect(Object.isFrozen(h)).toBe(true);
    expect(Object.isFrozen(h.downRevisions)).toBe(true);
  });
});

describe('parseRevisionHeader: rejections name the file and line', () => {
  const base = "export const revision = 'a1';\n";

  it('rejects a number for downRevision with the message of the brief', () => {
    const e = failure(`${base}\n\nexport const downRevision = 42;\n`);
    expect(e.message).toBe('versions/db2/3f2a_x.ts:4: downRevision must be a string, null or an array of strings');
    expect(e.file).toBe(FILE);
    expect(e.line).toBe(4);
  });

  it.each([
    ['a function call', "export const downRevision = previous('x');", 2],
    ['an identifier', 'export const downRevision = PARENT;', 2],
    ['undefined', 'export const downRevision = undefined;', 2],
    ['a boolean', 'export const downRevision = false;', 2],
    ['an object', "export const downRevision = { id: 'x' };", 2],
    ['a template with a substitution', 'export const downRevision = `${x}`;', 2],
    ['a concatenation', "export const downRevision = 'a' + 'b';", 2],
    ['a member access', "export const downRevision = 'a'.trim();", 2],
    ['an array holding a non-string', "export const downRevision = [\n  'a',\n  b,\n];", 4],
    ['an array holding a number', 'export const downRevision = [1];', 2],
    ['a nested array', "export const downRevision = [['a']];", 2],
    ['a type assertion other than as const', "export const downRevision = 'a' as string;", 2],
  ])('rejects %s', (_what, line, expectedLine) => {
    const e = failure(base + line);
    expect(e.line).toBe(expectedLine);
    expect(e.message).toMatch(new RegExp(`^versions/db2/3f2a_x\\.ts:${expectedLine}: downRevision must be a string, null or an array of strings`));
  });

  it('rejects the wrong literal kind per header', () => {
    expect(failure("export const revision = null;\nexport const downRevision = null;").message).toBe(
      'versions/db2/3f2a_x.ts:1: revision must be a string (the revision id)',
    );
    expect(failure("export const revision = ['a'];\nexport const downRevision = null;").line).toBe(1);
    expect(failure(`${base}export const downRevision = null;\nexport const message = ['x'];`).message).toBe(
      'versions/db2/3f2a_x.ts:3: message must be a string',
    );
    expect(failure(`${base}export const downRevision = null;\nexport const createDate = new Date();`).message).toBe(
      'versions/db2/3f2a_x.ts:3: createDate must be a string or null',
    );
    expect(failure(`${base}export const downRevision = null;\nexport const branchLabels = [''];`).message).toBe(
      'versions/db2/3f2a_x.ts:3: branchLabels holds an empty name',
    );
    expect(failure(`${base}export const downRevision = null;\nexport const dependsOn = 7;`).message).toBe(
      'versions/db2/3f2a_x.ts:3: dependsOn must be an array of strings, a string or null',
    );
  });

  it('rejects a duplicate header', () => {
    const e = failure(`${base}export const downRevision = null;\nexport const downRevision = 'b';`);
    expect(e.message).toBe('versions/db2/3f2a_x.ts:3: downRevision is declared twice (first on line 2)');
  });

  it('rejects a missing revision or downRevision', () => {
    const noRevision = failure("export const downRevision = null;\n// export const revision = 'a';");
    expect(noRevision.message).toMatch(/^versions\/db2\/3f2a_x\.ts: revision is missing/);
    expect(noRevision.line).toBeUndefined();
    expect(failure(base).message).toMatch(/^versions\/db2\/3f2a_x\.ts: downRevision is missing/);
    // a header named only in a string does not count
    expect(failure(`${base}const s = "export const downRevision = null;";`).message).toMatch(/downRevision is missing/);
  });

  it('rejects bad ids', () => {
    expect(failure("export const revision = 'not-an-id';\nexport const downRevision = null;").message).toBe(
      "versions/db2/3f2a_x.ts:1: revision 'not-an-id' is not a valid revision id (1 to 32 letters, digits or _)",
    );
    expect(failure("export const revision = '';\nexport const downRevision = null;").line).toBe(1);
    expect(failure(`export const revision = '${'a'.repeat(33)}';\nexport const downRevision = null;`).line).toBe(1);
    const e = failure(`${base}export const downRevision = [\n  'ok',\n  'bad id',\n];`);
    expect(e.message).toMatch(/^versions\/db2\/3f2a_x\.ts:4: downRevision names 'bad id', which is not a valid revision id/);
    expect(failure(`${base}export const downRevision = ['b', 'b'];`).message).toMatch(/:2: downRevision names 'b' twice/);
  });

  it('rejects let, var and export lists for header names', () => {
    expect(failure("export let revision = 'a';").message).toBe(
      "versions/db2/3f2a_x.ts:1: revision must be declared with 'export const', not 'let'",
    );
    expect(failure("export var downRevision = null;").line).toBe(1);
    const list = failure("const r = 'a';\nexport { r as revision };");
    expect(list.line).toBe(2);
    expect(list.message).toMatch(/revision must be declared as 'export const revision = …;'/);
  });

  it('rejects several declarators, a missing value and odd annotations', () => {
    expect(failure("export const revision = 'a', downRevision = null;").message).toMatch(/:1: declare one header per statement/);
    expect(failure('export const revision;').message).toMatch(/:1: revision needs a value/);
    expect(failure('export const revision: string;').message).toMatch(/:1: revision needs a value/);
    expect(failure("export const revision: { id: string } = 'a';").message).toMatch(/:1: revision has an unsupported type annotation/);
  });

  it('rejects an unterminated string', () => {
    expect(failure("export const revision = 'abc\nexport const downRevision = null;").message).toMatch(/:1: revision: unterminated string/);
  });

  it('rejects a header after other code, naming its line and where the code starts', () => {
    const e = failure(`import type { Operations } from '@multidb/core';

export const revision = 'a1';
const parent = 'p0';
export const downRevision = parent;
`);
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^versions\/db2\/3f2a_x\.ts:5: downRevision is declared after other code \(from line 4\); declare the six headers as 'export const NAME = …;' right after the imports and comments/);
    const afterUpgrade = failure(`${base}export const downRevision = null;

export async function upgrade(): Promise<void> {}

export const dependsOn = ['x'];
`);
    expect(afterUpgrade.message).toMatch(/^versions\/db2\/3f2a_x\.ts:6: dependsOn is declared after other code \(from line 4\)/);
  });

  it('names a misspelled header instead of calling the next header late or the header missing', () => {
    // `migrate heads` said 'branchLabels is declared after other code (from line 4)' for this file.
    const late = failure(`import type { Operations } from '@multidb/core';

export const revision = 'a1';
export const downRevison = null;
export const branchLabels = null;
export async function upgrade(op: Operations): Promise<void> {}
`);
    expect(late.line).toBe(4);
    expect(late.message).toBe(
      "versions/db2/3f2a_x.ts:4: downRevison is not a header name; did you mean downRevision? (the six headers are revision, downRevision, branchLabels, dependsOn, message, createDate, declared as 'export const NAME = …;')",
    );
    // The last header, misspelled: downRevision is missing.
    expect(failure(`${base}export const down_revision = null;
export async function upgrade() {}
`).message).toMatch(/^versions\/db2\/3f2a_x\.ts:2: down_revision is not a header name; did you mean downRevision\?/);
    expect(failure(`export const Revison = 'a1';
export const downRevision = null;
`).message).toMatch(/:1: Revison is not a header name; did you mean revision\?/);
    expect(failure(`${base}export const downRevision = null;
export const dependson = [];
export const message = 'm';
`).message).toMatch(/:3: dependson is not a header name; did you mean dependsOn\?/);
    // An optional header misspelled last (nothing missing, nothing late): it was read as absent.
    const optional = failure(`${base}export const downRevision = null;
export const mesage = 'add users';
export async function upgrade() {}
`);
    expect(optional.line).toBe(3);
    expect(optional.message).toMatch(/^versions\/db2\/3f2a_x\.ts:3: mesage is not a header name; did you mean message\?/);
    expect(failure(`${base}export const downRevision = null;\nexport const branchLabel = 'db2';\n`).message).toMatch(/:3: branchLabel is not a header name; did you mean branchLabels\?/);
    // A name far from every header, or close to one already read, keeps the plain message.
    expect(failure(`${base}export const parent = null;
export const downRevision = null;
`).message).toMatch(/:3: downRevision is declared after other code \(from line 2\)/);
    expect(failure(`${base}export const revisions = [];
export const downRevision = null;
`).message).toMatch(/:3: downRevision is declared after other code/);
    // A file that parses is read as before: an unknown export after the headers ends them, also
    // one close to an optional header whose value is not of that header's kind.
    expect(parseRevisionHeader(`${base}export const downRevision = null;
export const messages = ['x'];
`, FILE).message).toBe('');
    expect(parseRevisionHeader(`${base}export const downRevision = null;\nexport const dependson = 3;\n`, FILE).dependsOn).toEqual([]);
    expect(failure(`${base}export const downRevision = null;\nexport const depends_on: string[] = [];\n`).message).toMatch(/did you mean dependsOn\?/);
    expect(failure(`${base}export const downRevision = null;\nexport const createdate = '2026-01-01';\n`).message).toMatch(/did you mean createDate\?/);
  });

  it('rejects a late header however its statement starts', () => {
    const code = `${base}export const downRevision = null;\nexport const transaction = false;\n`;
    expect(failure(`${code}const x = 1; export const message = 'm';`).message).toMatch(/:4: message is declared after other code \(from line 3\)/);
    expect(failure(`${code}/* moved */ export const message = 'm';`).line).toBe(4);
    expect(failure(`${code}function f() {} export const message = 'm';`).line).toBe(4);
    expect(failure(`${code}\texport /* c */ const\n  // c\n  createDate = null;`).line).toBe(6);
    expect(failure(`${code}export let branchLabels = [];`).message).toMatch(/:4: branchLabels is declared after other code/);
    expect(failure(`${code}export var message = 'm';`).line).toBe(4);
  });

  it('rejects a late duplicate after the prologue', () => {
    const six = `export const revision = 'a';
export const downRevision = null;
export const branchLabels = [];
export const dependsOn = [];
export const message = '';
export const createDate = null;
`;
    expect(failure(`${six}export const revision = 'b';\n`).message).toBe('versions/db2/3f2a_x.ts:7: revision is declared twice (first on line 1)');
    expect(failure(`${six}\nexport async function upgrade() {}\nexport let message = 'again';\n`).message).toBe(
      'versions/db2/3f2a_x.ts:9: message is declared twice (first on line 5)',
    );
    expect(failure(`${base}export const downRevision = null;\nfoo();\nexport const revision = 'b';`).message).toMatch(
      /:4: revision is declared twice \(first on line 1\)/,
    );
  });

  it('rejects a header exported through a late export list', () => {
    const code = `${base}export const downRevision = null;\n`;
    const e = failure(`${code}const deps = ['x'];\nexport {\n  deps as /* the header */ dependsOn,\n  deps,\n};\n`);
    expect(e.message).toBe("versions/db2/3f2a_x.ts:5: dependsOn must be declared as 'export const dependsOn = …;' so it can be read without running the file");
    expect(failure(`${code}const m = 'x';\nexport { m as 'message' };`).line).toBe(4);
    expect(failure(`${code}export { message } from './other.js';`).line).toBe(3);
    expect(parseRevisionHeader(`${code}export { upgrade, downgrade as down };\nfunction upgrade() {}\nfunction downgrade() {}\n`, FILE).revision).toBe('a1');
  });

  it('counts a late header line even inside a block comment, a template or a namespace (the search is textual)', () => {
    const code = `${base}export const downRevision = null;\nexport async function upgrade() {}\n`;
    expect(failure(`${code}/*\nexport const message = 'old';\n*/`).line).toBe(5);
    expect(failure(`${code}const sql = \`\nexport const dependsOn = ['x'];\n\`;`).line).toBe(5);
    expect(failure(`${code}namespace N {\n  export const createDate = null;\n}`).line).toBe(5);
    // not at the start of a statement by the look of its line: ignored
    expect(parseRevisionHeader(`${code}// export const message = 'old';\n const s = 'see: export const message';\n`, FILE).message).toBe('');
  });

  it('ends the prologue at an import that is not a declaration', () => {
    expect(failure("import x = require('x');\nexport const revision = 'a';\nexport const downRevision = null;").message).toMatch(
      /:2: revision is declared after other code \(from line 1\)/,
    );
    expect(failure("import.meta.url;\nexport const revision = 'a';").line).toBe(2);
    expect(failure("import('x');\nexport const revision = 'a';").line).toBe(2);
    expect(failure("import x from 'x' y;\nexport const revision = 'a';").line).toBe(2);
    expect(failure("import x from 'x\nexport const revision = 'a';").message).toMatch(/:1: unterminated string in an import declaration/);
  });
});

describe('parseRevisionHeader on real revision files', () => {
  it('reads what the default template renders, with imports, a review comment and code bodies', async () => {
    const root = await mkdtemp(join(tmpdir(), 'multidb-header-'));
    try {
      await initRepository({ directory: join(root, 'migrations'), branches: ['db2'], multidb: true });
      const dir = await ScriptDirectory.open(join(root, 'migrations'));
      const path = await dir.writeRevision({
        branch: 'db2',
        revision: '3f2a9c1d7b40',
        downRevisions: ['1bc594146bb5', '2cd6a5257cc6'],
        branchLabels: ['db2'],
        dependsOn: ['aaa111'],
        message: "it's a `merge` of ${two}",
        createDate: new Date('2026-11-23T10:04:00Z'),
        imports: "import {\n  sql,\n  type Kysely,\n} from 'kysely';\n\n// Review: generated by autogenerate; check the renames.",
        upgrades: "if (await op.db.selectFrom('t').execute()) /['`{]/.test('x');\nawait op.execute(sql`SELECT 1`.compile(op.db).sql);",
        downgrades: "await op.dropTable('t');",
      });
      const source = await readFile(path, 'utf8');
      expect(source).toMatch(/\/\/ Review: generated by autogenerate; check the renames\.\n\nexport const revision = '3f2a9c1d7b40';/);
      expect(parseRevisionHeader(source, path)).toEqual({
        revision: '3f2a9c1d7b40',
        downRevisions: ['1bc594146bb5', '2cd6a5257cc6'],
        branchLabels: ['db2'],
        dependsOn: ['aaa111'],
        message: "it's a `merge` of ${two}",
        createDate: '2026-11-23T10:04:00Z',
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("reads the repository's Chinook revisions", async () => {
    const versions = fileURLToPath(new URL('../../../../migrations/versions/', import.meta.url));
    const read: Record<string, readonly string[]> = {};
    for (const branch of ['default', 'db2']) {
      for (const name of await readdir(join(versions, branch))) {
        const h = parseRevisionHeader(await readFile(join(versions, branch, name), 'utf8'), name);
        read[h.revision] = h.downRevisions;
      }
    }
    expect(read).toEqual({
      '54aab5d7fb66': [],
      '777187012aef': ['54aab5d7fb66'],
      e00861d9f40d: ['777187012aef'],
      '4fcf6e3a8f8c': [],
      '6cd0a1d092b6': ['4fcf6e3a8f8c'],
      fd2415b8acac: ['6cd0a1d092b6'],
    });
  });
});

describe('parseRevisionHeader at scale', () => {
  it('parses 3,000 generated headers correctly', () => {
    const body = `
export async function upgrade(op: Operations): Promise<void> {
  await op.execute(\`UPDATE "T" SET "x" = '}' WHERE y = \${1}\`);
  const re = /['"\`]/g; // export const revision = 'nope';
}
`;
    for (let i = 0; i < 3000; i++) {
      const id = i.toString(16).padStart(12, '0');
      const parents = i % 100 === 99 ? `['${(i - 1).toString(16).padStart(12, '0')}', '${(i - 2).toString(16).padStart(12, '0')}']` : i === 0 ? 'null' : `'${(i - 1).toString(16).padStart(12, '0')}'`;
      const source = `import type { Operations } from '@multidb/core';

export const revision = '${id}';
export const downRevision = ${parents};
export const branchLabels = ${i === 0 ? "['db2']" : '[]'};
export const dependsOn = [];
export const message = 'revision number ${i}';
${i % 2 ? `export const createDate = '2026-11-23T10:04:00Z';` : ''}${body}`;
      const h = parseRevisionHeader(source, `versions/db2/${id}.ts`);
      expect(h.revision).toBe(id);
      expect(h.message).toBe(`revision number ${i}`);
      expect(h.downRevisions.length).toBe(i === 0 ? 0 : i % 100 === 99 ? 2 : 1);
      expect(h.branchLabels.length).toBe(i === 0 ? 1 : 0);
      expect(h.createDate).toBe(i % 2 ? '2026-11-23T10:04:00Z' : undefined);
    }
  });
});

describe('parseRevisionHeader: memory', () => {
  it("does not keep the file's text alive through the header's strings", () => {
    // V8 makes a slice of 13 characters or more a view into its parent: a header kept for the
    // whole command (as ScriptDirectory.scripts() keeps them) would keep its whole file.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Set back at once: V8's flags are in the hash of every code cache made afterwards, and the test
    // files of a worker share its process (isolate: false), so a flag left on here would make another
    // process reject the code caches a later test file makes (plan-precompile, module-evaluator).
    setFlagsFromString('--no-expose-gc');
    const padding = `// ${'x'.repeat(100_000)}\n`;
    const heapAfterGc = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heapAfterGc();
    const kept = [];
    for (let i = 0; i < 200; i++) {
      const id = `rev_number_${String(i).padStart(6, '0')}`;
      // A flat string of its own, as readFileSync returns (a concatenation would be a rope).
      const source = Buffer.from(
        `export const revision = '${id}';\nexport const downRevision = null;\n` +
          `export const message = 'a message of more than thirteen characters ${i}';\n` +
          `export const createDate = '2026-12-05T04:00:00Z';\nexport const branchLabels = ['a label of some length ${i}'];\n${padding}`,
      ).toString();
      kept.push(parseRevisionHeader(source, `versions/db2/${id}.ts`));
    }
    const grown = heapAfterGc() - before;
    expect(kept[199]).toMatchObject({ revision: 'rev_number_000199', createDate: '2026-12-05T04:00:00Z', branchLabels: ['a label of some length 199'] });
    // 200 sources of 100 KB each: 20 MB if any header string kept its file; the headers alone are a few KB.
    expect(grown).toBeLessThan(2_000_000);
  });
});
