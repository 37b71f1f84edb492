import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { statementKind } from '@multidb/core';
import { previewLines } from './preview-lines.js';
import { RevisionScreen } from './revision-screen.js';
import { eventually, frameWhere, KEY, lines, overflowing, press } from '../../../test/support/ink.js';
import { textWidth } from '../../shared/format.js';
import { SCREEN_KEYS } from '../../shared/keys.js';
import type { RevisionPreview } from '../../backend/tui-backend.js';

const SOURCE = [
  `import type { Operations } from '@multidb/core';`,
  `export const revision = 'fd2415b8acac';`,
  `export const downRevision = '6cd0a1d092b6';`,
  ...Array.from({ length: 30 }, (_, i) => `// line ${i + 4}`),
  `export async function upgrade(op: Operations): Promise<void> {`,
  `  await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });`,
  `}`,
].join('\n');

const PREVIEW: RevisionPreview = {
  bind: 'db2',
  revision: 'fd2415b8acac',
  direction: 'up',
  message: 'add invoice currency',
  file: '/work/app/migrations/versions/db2/fd2415b8acac_add_invoice_currency.ts',
  downRevisions: ['6cd0a1d092b6'],
  dependsOn: [],
  source: SOURCE,
  dialect: 'sqlite',
  statements: [
    { sql: 'ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)', parameters: [], source: 'op' },
    { sql: 'update "Invoice" set "Currency" = ?', parameters: ['USD'], source: 'query-builder' },
  ],
  notes: ['op.db queries are compiled, not run: in the preview they return no rows.'],
};

/** A SQLite batch rebuild of a wide table, as the dialect compiles it: its CREATE TABLE is 16 lines. */
const REBUILD_CREATE = [
  'CREATE TABLE "_multidb_tmp_Invoice" (',
  '  "InvoiceId" integer NOT NULL PRIMARY KEY,',
  '  "CustomerId" integer NOT NULL,',
  '  "InvoiceDate" datetime NOT NULL,',
  '  "BillingAddress" nvarchar(70),',
  '  "BillingCity" nvarchar(40),',
  '  "BillingState" nvarchar(40),',
  '  "BillingCountry" nvarchar(40),',
  '  "BillingPostalCode" nvarchar(10),',
  '  "Total" numeric(10,2) NOT NULL,',
  '  "Currency" varchar(3) NOT NULL DEFAULT \'USD\',',
  '  CONSTRAINT "fk_Invoice_CustomerId_Customer" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId"),',
  '  CONSTRAINT "ck_Invoice_total" CHECK ("Total" >= 0)',
  ')',
].join('\n');
const REBUILD_COLUMNS = ['InvoiceId', 'CustomerId', 'InvoiceDate', 'BillingAddress', 'BillingCity', 'BillingState', 'BillingCountry', 'BillingPostalCode', 'Total', 'Currency'];
const REBUILD: RevisionPreview = {
  ...PREVIEW,
  message: 'invoice currency not null',
  statements: [
    { sql: REBUILD_CREATE, parameters: [], source: 'op' },
    {
      sql: `INSERT INTO "_multidb_tmp_Invoice" (${REBUILD_COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT ${REBUILD_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "Invoice"`,
      parameters: [],
      source: 'op',
    },
    { sql: 'DROP TABLE "Invoice"', parameters: [], source: 'op' },
    { sql: 'ALTER TABLE "_multidb_tmp_Invoice" RENAME TO "Invoice"', parameters: [], source: 'op' },
    { sql: `insert into "Currency" ("Code", "Name") values ${Array.from({ length: 300 }, (_, i) => `('C${i}', 'currency ${i}')`).join(', ')}`, parameters: [], source: 'op' },
  ],
  notes: [],
};

describe('previewLines', () => {
  it('cuts a long statement and counts many parameters', () => {
    const sql = `insert into "Track" values ${Array.from({ length: 400 }, () => '(?, ?)').join(', ')}`;
    const text = previewLines({ ...PREVIEW, statements: [{ sql, parameters: Array(800).fill(1), source: 'op' }], notes: [] }, 80, '/work/app');
    const sqlLines = text.filter((l) => l.style === 'sql');
    expect(sqlLines).toHaveLength(8);
    expect(text.find((l) => l.text.includes('more lines'))?.text).toMatch(/^ {5}… \d+ more lines$/);
    expect(text.find((l) => l.text.includes('800 parameters'))?.style).toBe('dim');
  });

  it('shows a schema statement whole however long: a rebuild\'s CREATE TABLE with its foreign key and check', () => {
    const text = previewLines(REBUILD, 120, '/work/app');
    const sql = text.filter((l) => l.style === 'sql').map((l) => l.text);
    const create = REBUILD_CREATE.split('\n').map((line, i) => `${i === 0 ? '  1' : '   '}  ${line}`);
    expect(sql.slice(0, create.length)).toEqual(create);
    expect(sql).toContain('       CONSTRAINT "fk_Invoice_CustomerId_Customer" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId"),');
    // Only the bulk insert (a data statement) is cut.
    expect(text.filter((l) => l.text.includes('more lines')).map((l) => l.text)).toEqual([expect.stringMatching(/^ {5}… \d+ more lines$/)]);
    const cut = text.findIndex((l) => l.text.includes('more lines'));
    expect(text[cut - 8]?.text).toMatch(/^ {2}5 {2}insert into "Currency"/);
  });

  it('shows ALTER, DROP, RENAME and CREATE INDEX whole, and cuts long UPDATE, DELETE, WITH and SELECT', () => {
    const long = (head: string) => `${head} ${Array.from({ length: 80 }, (_, i) => `"c${i}" = ${i}`).join(' AND ')}`;
    const whole = ['ALTER TABLE "t" ADD CONSTRAINT', 'DROP TABLE "t" -- and', 'ALTER TABLE "t" RENAME TO "u" --', 'CREATE UNIQUE INDEX "ix" ON "t" ("a") WHERE', '/* pre */ CREATE VIEW "v" AS SELECT 1 WHERE'];
    const cut = ['UPDATE "t" SET "a" = 1 WHERE', 'delete from "t" where', 'WITH x AS (SELECT 1) UPDATE "t" SET "a" = 1 WHERE', 'select * from "t" where', '(SELECT 1) WHERE'];
    const marked = (head: string) => previewLines({ ...PREVIEW, statements: [{ sql: long(head), parameters: [], source: 'op' }], notes: [] }, 80, '/work/app').some((l) => l.text.includes('more lines'));
    expect(whole.map(marked)).toEqual(whole.map(() => false));
    expect(cut.map(marked)).toEqual(cut.map(() => true));
  });

  it("cuts statements as core's statementKind tells, CALL and DO shown whole; marks them as core's preview says (progress), whatever their kind", () => {
    const long = (head: string) => `${head} ${Array.from({ length: 80 }, (_, i) => `"c${i}" = ${i}`).join(' AND ')}`;
    const heads = [
      'CALL refresh_totals() --',
      "/* x */ DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$ --",
      '-- note\nMERGE INTO "t" USING "s" ON',
      "LOAD DATA INFILE 'x' INTO TABLE \"t\" SET",
      'VALUES (1) --',
      'TABLE "t" --',
      '((select 1)) WHERE',
      'WITH x AS (SELECT 1) UPDATE "t" SET "a" = 1 WHERE',
      'ALTER TABLE "t" ADD CONSTRAINT',
    ];
    // Stopped part way: core's preview marks each statement from the bind's progress (per op, as a
    // run counts its writes); the viewer shows what it says, whatever the statement's kind.
    const progress = ['applied', 'applied', 'applied', 'applied', undefined, undefined, undefined, 'sent', undefined] as const;
    const statements = heads.map((head, i) => ({ sql: long(head), parameters: [], source: 'op' as const, ...(progress[i] ? { progress: progress[i] } : {}) }));
    const inFlight = { revision: PREVIEW.revision, direction: 'up' as const, writes: 4, last: 'execute LOAD DATA' };
    const text = previewLines({ ...PREVIEW, dialect: 'mariadb', statements, notes: [] }, 80, '/work/app', inFlight);
    const starts = heads.map((_, i) => text.findIndex((l) => l.text.startsWith(`${String(i + 1).padStart(3)}  `)));
    const shown = heads.map((_, i) => text.slice(starts[i], starts[i + 1] ?? text.findIndex((l) => l.text === 'Source')));
    const kinds = heads.map((head) => statementKind(long(head)));
    expect(kinds).toEqual(['procedural', 'procedural', 'dml', 'dml', 'read', 'read', 'read', 'dml', 'ddl']);
    expect(shown.map((lines) => lines.some((l) => l.text.includes('more lines')))).toEqual(kinds.map((kind) => kind === 'read' || kind === 'dml'));
    expect(shown.map((lines) => lines.some((l) => l.text.includes('applied, skipped on resume')))).toEqual([true, true, true, true, false, false, false, false, false]);
    expect(shown.map((lines) => lines.some((l) => l.text.includes('sent, completion not recorded: judged on resume')))).toEqual([false, false, false, false, false, false, false, true, false]);
  });

  it('with full, shows every statement whole, a bulk insert too', () => {
    const cut = previewLines(REBUILD, 120, '/work/app');
    const full = previewLines(REBUILD, 120, '/work/app', undefined, { full: true });
    expect(full.some((l) => l.text.includes('more lines'))).toBe(false);
    const hidden = Number(/(\d+) more lines/.exec(cut.find((l) => l.text.includes('more lines'))!.text)![1]);
    expect(full.length).toBe(cut.length - 1 + hidden);
    expect(full.filter((l) => l.style === 'sql').some((l) => l.text.includes("('C299', 'currency 299')"))).toBe(true);
  });
});

describe('previewLines of a statement one line longer than the cut', () => {
  it('shows its last line instead of a marker saying "1 more lines" in its place', () => {
    const sql = Array.from({ length: 9 }, (_, i) => `  "c${i}" integer,`).join('\n');
    const text = previewLines({ ...PREVIEW, statements: [{ sql, parameters: [], source: 'op' }], notes: [] }, 80, '/work/app');
    expect(text.filter((l) => l.style === 'sql')).toHaveLength(9);
    expect(text.some((l) => l.text.includes('more line'))).toBe(false);
  });
});

describe('previewLines with wide characters', () => {
  const LONG = '請求書に通貨の列を追加し、既存の行をすべて米ドルで埋める 🚀 cafe\u0301';
  const WIDE: RevisionPreview = {
    ...PREVIEW,
    bind: '売上データベース東京',
    message: `${LONG} ${LONG}`,
    source: `export const message = '${LONG}';\n  // ${LONG}${LONG}`,
    statements: [{ sql: `UPDATE "請求書" SET "通貨" = 'ドル' WHERE "説明" = '${LONG}'`, parameters: ['円'], source: 'op' }],
  };

  it('wraps message, heading, SQL and source to the width in terminal cells', () => {
    const text = previewLines(WIDE, 80, '/work/app');
    expect(text.filter((l) => textWidth(l.text) > 80)).toEqual([]);
    // wrap returns NFC: cafe + U+0301 comes back as café.
    expect(text[0]?.text).toBe(`message    ${LONG}`.normalize());
    expect(text.find((l) => l.style === 'heading')?.text).toBe('SQL of the upgrade on 売上データベース東京 (sqlite), compiled; nothing has run:');
    // Continuation lines keep their indentation under the statement's number and the line number.
    const sql = text.filter((l) => l.style === 'sql');
    expect(sql.length).toBeGreaterThan(1);
    expect(sql.slice(1).every((l) => l.text.startsWith('     ') && textWidth(l.text) <= 80)).toBe(true);
    expect(text.filter((l) => l.style === 'code').map((l) => l.text.slice(0, 4))).toEqual([' 1  ', '    ', ' 2  ', '    ']);
  });

  it('keeps the screen within 80 columns', async () => {
    const { lastFrame } = render(<RevisionScreen preview={WIDE} cwd="/work/app" width={80} height={23} isActive onBack={vi.fn()} />);
    await frameWhere(lastFrame, (frame) => {
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
      expect(frame[0]).toMatch(/^売上データベース東京 · fd2415b8acac · upgrade +lines 1-16 of 16 · \? keys$/);
    });
  });
});

describe('RevisionScreen', () => {
  it('shows message, file, the compiled SQL with its notes, then the source', async () => {
    const { lastFrame } = render(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={80} height={23} isActive onBack={vi.fn()} />);
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^db2 · fd2415b8acac · upgrade +lines 1-20 of 48 · \? keys$/));
    expect(frame.slice(1, 14)).toEqual([
      'message    add invoice currency',
      'file       migrations/versions/db2/fd2415b8acac_add_invoice_currency.ts',
      'revises    6cd0a1d092b6',
      '',
      'SQL of the upgrade on db2 (sqlite), compiled; nothing has run:',
      '  1  ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
      '  2  update "Invoice" set "Currency" = ?',
      "     op.db query · parameters: 'USD'",
      'note: op.db queries are compiled, not run: in the preview they return no rows.',
      '',
      'Source',
      "  1  import type { Operations } from '@multidb/core';",
      "  2  export const revision = 'fd2415b8acac';",
    ]);
    expect(frame).toHaveLength(23);
  });

  it('of a revision stopped part way (MySQL/MariaDB): marks the statements core found applied as skipped on resume, and no longer says nothing has run', async () => {
    const [first, ...rest] = PREVIEW.statements;
    const preview = { ...PREVIEW, dialect: 'mariadb', statements: [{ ...first!, write: 1, progress: 'applied' as const }, ...rest] };
    const inFlight = { revision: PREVIEW.revision, direction: 'up' as const, writes: 1, last: 'addColumn Invoice.Currency' };
    const { lastFrame } = render(<RevisionScreen preview={preview} cwd="/work/app" inFlight={inFlight} width={80} height={23} isActive onBack={vi.fn()} />);
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^db2 · fd2415b8acac · upgrade/));
    expect(frame.join('\n')).not.toContain('nothing has run');
    expect(frame.slice(5, 12)).toEqual([
      'SQL of the upgrade on db2 (mariadb), compiled; stopped part way: 1 write ran',
      '(last: addColumn Invoice.Currency), the upgrade resumes after it:',
      '  1  ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
      '     applied, skipped on resume',
      '  2  update "Invoice" set "Currency" = ?',
      "     op.db query · parameters: 'USD'",
      'note: op.db queries are compiled, not run: in the preview they return no rows.',
    ]);
    // The bind's revision in flight is another one (core's preview marks nothing then): nothing has run.
    const other = render(<RevisionScreen preview={PREVIEW} cwd="/work/app" inFlight={{ ...inFlight, revision: '6cd0a1d092b6' }} width={80} height={23} isActive onBack={vi.fn()} />);
    const plain = await frameWhere(other.lastFrame, (f) => expect(f[5]).toBe('SQL of the upgrade on db2 (sqlite), compiled; nothing has run:'));
    expect(plain.join('\n')).not.toContain('skipped on resume');
  });

  it('scrolls by line and page, to the bottom and back; q goes back', async () => {
    const onBack = vi.fn();
    const { stdin, lastFrame } = render(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={80} height={23} isActive onBack={onBack} />);
    await press(stdin, 'j', KEY.down);
    await frameWhere(lastFrame, (frame) => expect(frame[1]).toBe('revises    6cd0a1d092b6'));
    await press(stdin, ' ');
    await eventually(() => expect(lastFrame()).toContain('lines 22-41 of 48'));
    await press(stdin, 'G');
    await frameWhere(lastFrame, (frame) => expect(frame[20]).toBe(' 36  }'));
    await press(stdin, 'g', 'q');
    await eventually(() => expect(lastFrame()).toContain('lines 1-20 of 48'));
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(1));
  });

  it('stays at the bottom of the source when the terminal is resized while scrolled there', async () => {
    // Was: the offset was kept, so a shorter terminal showed lines above the end (`lines 29-38 of 48`).
    const { stdin, lastFrame, rerender } = render(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={80} height={23} isActive onBack={vi.fn()} />);
    await press(stdin, 'G');
    await frameWhere(lastFrame, (frame) => {
      expect(frame[0]).toMatch(/lines 29-48 of 48 · \? keys$/);
      expect(frame[20]).toBe(' 36  }');
    });
    rerender(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={80} height={13} isActive onBack={vi.fn()} />);
    await frameWhere(lastFrame, (frame) => {
      expect(frame[0]).toMatch(/lines 39-48 of 48 · \? keys$/);
      expect(frame[10]).toBe(' 36  }');
    });
    // Narrower too: the text wraps to more lines, and the bottom is still shown.
    rerender(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={50} height={13} isActive onBack={vi.fn()} />);
    await frameWhere(lastFrame, (frame) => {
      const [, first, last, total] = /lines (\d+)-(\d+) of (\d+)/.exec(frame[0]!) ?? [];
      expect(Number(total)).toBeGreaterThan(48);
      expect([Number(first), Number(last)]).toEqual([Number(total) - 9, Number(total)]);
      expect(frame[10]).toBe(' 36  }');
    });
    // Scrolled up from the bottom, a resize keeps the offset.
    await press(stdin, 'k');
    await frameWhere(lastFrame, (frame) => expect(frame[10]).not.toBe(' 36  }'));
    const at = /lines (\d+)-/.exec(lastFrame()!.split('\n')[0]!)![1];
    rerender(<RevisionScreen preview={PREVIEW} cwd="/work/app" width={50} height={12} isActive onBack={vi.fn()} />);
    await frameWhere(lastFrame, (frame) => expect(frame[0]).toContain(`lines ${at}-`));
  });
});

describe("the help of the revision viewer's a key", () => {
  it('names what is cut: data statements and reads, a SELECT too, and no schema statement', () => {
    const [, help] = SCREEN_KEYS.revision.find(([key]) => key === 'a')!;
    const long = (sql: string) => ({ sql: `${sql}\n${Array.from({ length: 20 }, (_, i) => `  -- ${i}`).join('\n')}`, parameters: [], source: 'op' as const });
    for (const word of ['INSERT', 'UPDATE', 'DELETE', 'SELECT']) {
      const cut = previewLines({ ...PREVIEW, statements: [long(`${word} 1`)] }, 120, '/work/app').some((l) => l.text.includes('more lines'));
      expect([word, cut, help.includes(word)]).toEqual([word, true, true]);
    }
    expect(help).toContain('schema statements are always whole');
  });
});

describe('RevisionScreen of a SQLite batch rebuild', () => {
  const PAGE = 26; // a page of the 30-line screen's 27-line body, less the line kept
  const found = (text: readonly { text: string }[], part: string) => text.findIndex((l) => l.text.includes(part));

  it('shows the whole CREATE TABLE, its FOREIGN KEY and CHECK lines included, and cuts the bulk insert after it', async () => {
    const { lastFrame } = render(<RevisionScreen preview={REBUILD} cwd="/work/app" width={120} height={50} isActive onBack={vi.fn()} />);
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^db2 · fd2415b8acac · upgrade +lines 1-47 of \d+ · \? keys$/));
    expect(frame.slice(6, 20)).toEqual(REBUILD_CREATE.split('\n').map((line, i) => `${i === 0 ? '  1' : '   '}  ${line}`));
    expect(frame).toContain('       CONSTRAINT "fk_Invoice_CustomerId_Customer" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId"),');
    const insert = frame.findIndex((l) => l.startsWith('  5  insert into "Currency"'));
    expect(insert).toBeGreaterThan(20);
    expect(frame[insert + 8]).toMatch(/^ {5}… \d+ more lines$/);
    expect(frame[49]).toBe('↑↓ scroll · space page · g/G top/bottom · a all SQL whole · q back');
  });

  it('a shows every statement whole and scrolls over the longer text; a again cuts it, the lines shown staying within the text', async () => {
    const { stdin, lastFrame, frames } = render(<RevisionScreen preview={REBUILD} cwd="/work/app" width={120} height={30} isActive onBack={vi.fn()} />);
    const cutTotal = previewLines(REBUILD, 120, '/work/app').length;
    const full = previewLines(REBUILD, 120, '/work/app', undefined, { full: true });
    expect(found(previewLines(REBUILD, 120, '/work/app'), "('C299',")).toBe(-1);
    await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines 1-27 of ${cutTotal} `));
    await press(stdin, 'a');
    await frameWhere(lastFrame, (f) => {
      expect(f[0]).toContain(`lines 1-27 of ${full.length} `);
      expect(f[29]).toBe('↑↓ scroll · space page · g/G top/bottom · a cut long data SQL · q back');
    });
    // The last of the 300 rows, hidden before, is reached by paging.
    const pages = Math.ceil((found(full, "('C299',") - PAGE) / PAGE);
    expect(pages).toBeGreaterThan(1);
    await press(stdin, ...Array<string>(pages).fill(' '));
    await frameWhere(lastFrame, (f) => {
      expect(f[0]).toContain(`lines ${pages * PAGE + 1}-${pages * PAGE + 27} of ${full.length} `);
      expect(f.join('\n')).toContain("('C299', 'currency 299')");
    });
    await press(stdin, 'G');
    await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines ${full.length - 26}-${full.length} of ${full.length} `));
    const before = frames.length;
    await press(stdin, 'a');
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines ${cutTotal - 26}-${cutTotal} of ${cutTotal} `));
    expect(frame[27]).toBe(' 36  }');
    // No frame drawn on the way shows the old offset over the shorter text (an empty body).
    for (const f of frames.slice(before)) {
      const [, first, last, total] = /lines (\d+)-(\d+) of (\d+)/.exec(lines(f)[0] ?? '')!.map(Number);
      expect([last! <= total!, last! - first! + 1, lines(f)[27]]).toEqual([true, 27, ' 36  }']);
    }
  });

  it('a and G in one chunk (pasted, or typed fast over ssh): G goes to the bottom of the whole text, not of the cut one', async () => {
    const { stdin, lastFrame } = render(<RevisionScreen preview={REBUILD} cwd="/work/app" width={120} height={30} isActive onBack={vi.fn()} />);
    const cutTotal = previewLines(REBUILD, 120, '/work/app').length;
    const full = previewLines(REBUILD, 120, '/work/app', undefined, { full: true });
    expect(full.length).toBeGreaterThan(cutTotal + 27);
    await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines 1-27 of ${cutTotal} `));
    await press(stdin, 'aG');
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines ${full.length - 26}-${full.length} of ${full.length} `));
    expect(frame.slice(1, 28)).toEqual(full.slice(-27).map((l) => (l.text === '' ? '' : l.text.trimEnd())));
    // And back in one chunk: cut again, at the bottom of the cut text.
    await press(stdin, 'ag');
    await frameWhere(lastFrame, (f) => expect(f[0]).toContain(`lines 1-27 of ${cutTotal} `));
  });
});
