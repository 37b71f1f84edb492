import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { bindColumns, BindsScreen } from './binds-screen.js';
import stringWidth from 'string-width';
import { columnOf, eventually, frameWhere, KEY, lines, overflowing, press, textAt } from '../../../test/support/ink.js';
import type { BindRow } from '../../backend/tui-backend.js';
import { statusLabel } from './bind-status.js';

const row = (name: string, over: Partial<BindRow> = {}): BindRow => ({
  name,
  branch: name,
  dialect: 'sqlite',
  displayUrl: `sqlite:.data/${name}.db`,
  current: ['a1b2c3d4e5f6'],
  heads: ['a1b2c3d4e5f6'],
  pending: 0,
  status: { kind: 'up-to-date' },
  ...over,
});

const ROWS: BindRow[] = [
  row('default'),
  row('db2', { current: ['6cd0a1d092b6'], heads: ['fd2415b8acac'], pending: 1, status: { kind: 'pending' } }),
  row('pg', { dialect: 'postgres', displayUrl: 'postgres://app:***@db:5432/app', current: [], heads: ['c1'], status: { kind: 'unreachable', reason: 'cannot connect to postgres://app:***@db:5432/app: ECONNREFUSED' } }),
  row('old', { current: ['ffff00001111'], status: { kind: 'ahead', unknown: ['ffff00001111'] } }),
  row('fork', { current: ['a1'], heads: ['b2', 'c3'], pending: 2, status: { kind: 'multiple-heads', heads: ['b2', 'c3'] } }),
];

function setup(rows: BindRow[] = ROWS, height = 23) {
  const handlers = { onReview: vi.fn(), onDowngrade: vi.fn(), onRefresh: vi.fn(), onBack: vi.fn() };
  const app = render(<BindsScreen rows={rows} title="multidb · migrate.config.ts" width={80} height={height} isActive {...handlers} />);
  return { ...app, ...handlers };
}

describe('BindsScreen', () => {
  it('shows one row per bind with dialect, masked URL, revisions, pending count and status', async () => {
    const { lastFrame } = setup();
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^multidb · migrate\.config\.ts\s+0 of 5 selected · \? keys$/));
    expect(frame[1]).toBe('      BIND     DIALECT  CURRENT      HEAD         PENDING STATUS');
    expect(frame[2]).toBe('› [ ] default  sqlite   a1b2c3d4e5f6 a1b2c3d4e5f6       0 up to date');
    expect(frame[3]).toBe('      sqlite:.data/default.db');
    expect(frame[4]).toBe('  [ ] db2      sqlite   6cd0a1d092b6 fd2415b8acac       1 pending');
    expect(frame[6]).toBe('  [ ] pg       postgres –            c1                 – unreachable');
    expect(frame[7]).toBe('      postgres://app:***@db:5432/app');
    expect(frame[8]).toBe('  [ ] old      sqlite   ffff00001111 a1b2c3d4e5f6       0 ahead of the scripts');
    expect(frame[10]).toBe('  [ ] fork     sqlite   a1           b2 +1              2 multiple heads');
    expect(frame).toHaveLength(23);
    expect(frame.every((l) => l.length <= 80)).toBe(true);
  });

  it('handles every key of a burst, in order (j Enter; k Space Enter arriving as one chunk)', async () => {
    const { stdin, onReview } = setup();
    await press(stdin, 'j\r');
    await eventually(() => expect(onReview).toHaveBeenCalledTimes(1));
    expect(onReview).toHaveBeenLastCalledWith(['db2']);
    await press(stdin, 'jk \r');
    await eventually(() => expect(onReview).toHaveBeenCalledTimes(2));
    expect(onReview).toHaveBeenLastCalledWith(['db2']);
  });

  it('moves with arrows and j/k, toggles with space, selects all with a, reviews with enter', async () => {
    const { stdin, lastFrame, onReview } = setup();
    await press(stdin, KEY.down, 'j', 'k', KEY.space);
    await frameWhere(lastFrame, (frame) => expect(frame[4]).toBe('› [x] db2      sqlite   6cd0a1d092b6 fd2415b8acac       1 pending'));
    await press(stdin, KEY.enter);
    await eventually(() => expect(onReview).toHaveBeenLastCalledWith(['db2']));
    await press(stdin, 'a');
    await eventually(() => expect(lastFrame()).toMatch(/5 of 5 selected/));
    await press(stdin, KEY.enter);
    await eventually(() => expect(onReview).toHaveBeenLastCalledWith(['default', 'db2', 'pg', 'old', 'fork']));
    await press(stdin, 'a');
    await eventually(() => expect(lastFrame()).toMatch(/0 of 5 selected/));
  });

  it('reviews the focused bind when nothing is selected; d downgrades it; r refreshes; q goes back', async () => {
    const { stdin, onReview, onDowngrade, onRefresh, onBack } = setup();
    await press(stdin, KEY.down, KEY.enter, 'd', 'r', 'q', KEY.escape);
    // Esc, the last key, handled: so were the keys before it.
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(2));
    expect(onReview).toHaveBeenCalledWith(['db2']);
    expect(onDowngrade).toHaveBeenCalledWith('db2');
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('explains the focused bind\'s status below the table', async () => {
    const { stdin, lastFrame } = setup();
    await press(stdin, KEY.down, KEY.down);
    await eventually(() => expect(lastFrame()).toContain('pg: cannot connect to postgres://app:***@db:5432/app: ECONNREFUSED'));
    await press(stdin, KEY.down, KEY.down);
    await eventually(() => expect(lastFrame()).toContain("fork: Branch 'fork' has 2 heads (b2, c3)"));
  });

  it('names the bind once when its reason names it too, as core\'s connection errors do (was: pg: [pg] cannot connect …)', async () => {
    const reason = '[pg] cannot connect to postgres://app:***@db:5432/app: connect ECONNREFUSED 10.0.0.7:5432';
    const { lastFrame } = setup([row('pg', { dialect: 'postgres', current: [], heads: ['c1'], status: { kind: 'unreachable', reason } })]);
    await frameWhere(lastFrame, (frame) => expect(frame.slice(5, 7).join(' ')).toBe('pg: cannot connect to postgres://app:***@db:5432/app: connect ECONNREFUSED 10.0.0.7:5432'));
  });

  it('marks a bind with a revision in flight, and says what to do about it below the table', async () => {
    const inFlight = { revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' } as const;
    const status = { kind: 'in-flight', revision: 'ab0000000001', direction: 'up', resume: 'migrate upgrade my' } as const;
    const { lastFrame } = setup([row('my', { dialect: 'mysql', current: [], heads: ['ab0000000001'], pending: 1, status, inFlight }), row('default')]);
    await frameWhere(lastFrame, (frame) => {
      expect(frame[2]).toBe('› [ ] my       mysql    base         ab0000000001       1 in flight');
      expect(frame[4]).toBe('  [ ] default  sqlite   a1b2c3d4e5f6 a1b2c3d4e5f6       0 up to date');
      // Whole, with a way out that runs (was: cut after two lines, and 'migrate resolve my', which exits 2 without --applied or --not-applied).
      expect(frame.slice(7, 11).join(' ')).toBe(
        "my: Revision ab0000000001 is in flight (upgrade stopped after 1 write(s), last: createTable t1): once what made it stop is fixed (the revision may change from the write that failed on), upgrading my again resumes it; after a repair by hand, 'migrate resolve my --applied' or '--not-applied' records it.",
      );
    });
  });

  it('shows the focused bind\'s detail whole in the lines free below the binds (was: cut after two lines, without a mark)', async () => {
    const changes = ["Detected added column 'invoice.currency'", "Detected removed index 'ix_manual' on 'setting'", "Detected changed type on 'user.email': varchar(120) -> varchar(255)", "Detected added table 'audit_log'"];
    const drifted = row('db2', { dialect: 'postgres', drift: { kind: 'differs', changes } });
    const { lastFrame } = setup([drifted, row('default')]);
    await frameWhere(lastFrame, (frame) => {
      const at = frame.findIndex((l) => l.startsWith('db2: '));
      const detail = frame.slice(at, frame.findIndex((l, i) => i > at && l === ''));
      expect(detail.join(' ')).toBe(`db2: Its database differs from its models (4 changes: ${changes.join('; ')}); 'migrate migrate -m <message>' writes the revision.`);
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
    });
    // No room for it all: the lines there are, the last ending with `…`.
    const short = setup([drifted, row('default')], 10);
    await frameWhere(short.lastFrame, (frame) => {
      const at = frame.findIndex((l) => l.startsWith('db2: '));
      expect(frame.slice(at, at + 4)).toEqual([expect.any(String), expect.any(String), expect.stringMatching(/Detected added tabl…$/), '']);
      expect(frame).toHaveLength(10);
      expect(overflowing(frame, 80)).toEqual([]);
    });
  });

  it('marks a bind its configuration refused as misconfigured (not unreachable), and says why below the table', async () => {
    const reason = "Bind 'my': binds.my.schema is not supported by mysql. Remove it, and name the database in the bind's URL instead.";
    const { lastFrame } = setup([row('my', { dialect: 'mysql', current: [], heads: ['ab0000000001'], status: { kind: 'misconfigured', reason } }), row('default')]);
    await frameWhere(lastFrame, (frame) => {
      // Nothing was read: no current revision, no pending count.
      expect(frame[2]).toBe('› [ ] my       mysql    –            ab0000000001       – misconfigured');
      expect(frame.slice(7, 9).join(' ')).toBe(`my: ${reason}`);
    });
  });

  it('scrolls a long list of binds within the height', async () => {
    const many = Array.from({ length: 20 }, (_, i) => row(`tenant${String(i).padStart(2, '0')}`));
    const { stdin, lastFrame } = setup(many);
    await eventually(() => expect(lastFrame()).toMatch(/1-8 of 20/));
    await press(stdin, 'G');
    await frameWhere(lastFrame, (frame) => {
      expect(frame[0]).toMatch(/13-20 of 20/);
      expect(frame).toContain('› [ ] tenant19  sqlite   a1b2c3d4e5f6 a1b2c3d4e5f6       0 up to date');
      expect(frame).toHaveLength(23);
    });
  });

  describe('with wide characters and combining marks', () => {
    // Names and paths a person may type: CJK (two cells each), an emoji (two cells, two UTF-16
    // units), and a combining accent (no cell of its own: 'cafe' + U+0301 is four cells, five units).
    const WIDE: BindRow[] = [
      row('default'),
      row('売上データベース東京', { current: ['6cd0a1d092b6'], heads: ['fd2415b8acac'], pending: 1, status: { kind: 'pending' }, displayUrl: `sqlite:.data/${'売上'.repeat(40)}.db` }),
      row('tenant🚀', { dialect: 'postgres', displayUrl: 'postgres://app:***@db:5432/app', current: [], heads: ['c1'], status: { kind: 'unreachable', reason: `接続できません: ${'データベースが応答しません。'.repeat(8)}` } }),
      row('cafe\u0301', { status: { kind: 'error', reason: 'version table unreadable' } }),
    ];

    /** The frame that shows `ready` (by default the first one), after `keys`. */
    async function wideFrame(keys: string[] = [], ready: (frame: string[]) => void = () => undefined) {
      const app = render(<BindsScreen rows={WIDE} title="multidb · 設定/マイグレーション/migrate.config.ts" width={80} height={23} isActive onReview={vi.fn()} onDowngrade={vi.fn()} onRefresh={vi.fn()} onBack={vi.fn()} />);
      if (keys.length) await press(app.stdin, ...keys);
      return frameWhere(app.lastFrame, ready);
    }

    it('keeps every line within 80 columns, cutting what does not fit with …', async () => {
      const frame = await wideFrame();
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
      expect(frame[0]).toMatch(/^multidb · 設定\/マイグレーション\/migrate\.config\.ts +0 of 4 selected · \? keys$/);
      expect(frame[4]).toBe('  [ ] 売上データベース… sqlite   6cd0a1d092b6 fd2415b8acac       1 pending');
      expect(frame[5]).toMatch(/^ {6}sqlite:\.data\/(売上)+…$/);
      expect(frame[6]).toBe('  [ ] tenant🚀          postgres –            c1                 – unreachable');
      expect(frame[8]).toBe('  [ ] cafe\u0301              sqlite   a1b2c3d4e5f6 a1b2c3d4e5f6       0 error');
    });

    it('keeps the columns aligned under their headings', async () => {
      const frame = await wideFrame();
      const header = frame[1]!;
      const at = (line: string, heading: string) => textAt(line, columnOf(header, heading));
      for (const line of [frame[2]!, frame[4]!, frame[6]!, frame[8]!]) {
        expect(at(line, 'BIND')).toMatch(/^(default|売上データベース…|tenant🚀|cafe\u0301) /);
        expect(at(line, 'DIALECT')).toMatch(/^(sqlite|postgres) /);
        expect(at(line, 'CURRENT')).toMatch(/^(–|a1b2c3d4e5f6|6cd0a1d092b6) /);
        expect(at(line, 'HEAD')).toMatch(/^(a1b2c3d4e5f6|fd2415b8acac|c1) /);
        // PENDING is right-aligned: the count ends where the heading ends.
        expect(at(line, 'PENDING')).toMatch(/^ {6}[0-9–] /);
        expect(at(line, 'STATUS')).toMatch(/^(up to date|pending|unreachable|error)$/);
      }
    });

    it('wraps the focused bind\'s status detail within the width', async () => {
      const frame = await wideFrame([KEY.down, KEY.down], (f) => expect(f.some((l) => l.startsWith('tenant🚀: '))).toBe(true));
      expect(frame[2]).toMatch(/^ {2}\[ \] default/);
      const at = frame.findIndex((l) => l.startsWith('tenant🚀: '));
      // The reason is one long word (no spaces): it starts on a line of its own, cut by cells.
      expect(frame[at]).toBe('tenant🚀: 接続できません:');
      expect(frame[at + 1]).toMatch(/^(データベースが応答しません。)+データベースが応答しませ$/);
      expect(stringWidth(frame[at + 1]!)).toBe(80);
      // The rest in the lines free below the binds, each one line on the screen.
      expect(frame[at + 2]).toMatch(/^ん。(データベースが応答しません。)+データベースが応答し$/);
      expect(frame[at + 3]).toMatch(/^ません。(データベースが応答しません。)+$/);
      expect(frame[at + 4]).toBe('');
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
    });
  });

  describe('in a narrow terminal', () => {
    // Every bind takes two lines (its row, its URL): the screen counts on it to fit 8 binds in 23 lines.
    const NARROW: BindRow[] = [
      ...ROWS,
      row('kysely', { dialect: 'postgres', displayUrl: '(kysely instance)' }),
      row('tenant_with_a_long_name_eu_west', { displayUrl: `sqlite:.data/${'tenant_with_a_long_name_eu_west/'.repeat(3)}t.db` }),
      ...Array.from({ length: 12 }, (_, i) => row(`tenant${String(i).padStart(2, '0')}`)),
    ];
    const HEADINGS: Record<number, string[]> = {
      80: ['BIND', 'DIALECT', 'CURRENT', 'HEAD', 'PENDING', 'STATUS'],
      64: ['BIND', 'CURRENT', 'HEAD', 'PENDING', 'STATUS'],
      60: ['BIND', 'CURRENT', 'PENDING', 'STATUS'],
      40: ['BIND', 'PENDING', 'STATUS'],
    };

    /** Asserts that the frame shows `binds` from its third line on, two lines each, every line within `width`. */
    function expectTwoLinesEach(frame: string[], binds: BindRow[], width: number) {
      expect(overflowing(frame, width)).toEqual([]);
      expect(frame).toHaveLength(23);
      binds.forEach((b, k) => {
        const [main, location] = [frame[2 + 2 * k]!, frame[3 + 2 * k]!];
        // The row: mark, box, the name (cut with … when long) and the status, all on one line.
        expect(main).toMatch(/^[› ] \[ \] /);
        expect(main.slice(6)).toMatch(b.name.length > 12 ? new RegExp(`^${b.name.slice(0, 3)}\\S*…`) : new RegExp(`^${b.name} `));
        const status = statusLabel(b.status).text;
        expect(main).toMatch(new RegExp(`(${status}|${status.slice(0, 6)}.*…)$`));
        // The line under it: the masked URL (after the dialect when DIALECT is left out and the URL does not name it).
        expect(location).toMatch(/^ {6}(sqlite:\.data\/|postgres:\/\/|(postgres · )?\(kysely instance\))/);
      });
      // Then the blank line above the detail.
      expect(frame[2 + 2 * binds.length]).toBe('');
    }

    for (const width of [80, 64, 60, 40]) {
      it(`keeps each bind on its two lines at ${width} columns, leaving out columns in order`, async () => {
        const app = render(<BindsScreen rows={NARROW} title="multidb · migrate.config.ts" width={width} height={23} isActive onReview={vi.fn()} onDowngrade={vi.fn()} onRefresh={vi.fn()} onBack={vi.fn()} />);
        const frame = await frameWhere(app.lastFrame, (f) => expect(f[0]).toMatch(/1-8 of 19 · \? keys$/));
        expectTwoLinesEach(frame, NARROW.slice(0, 8), width);
        expect(frame[1]!.trim().split(/ +/)).toEqual(HEADINGS[width]);
        if (width === 80) expect(frame[13]).toBe('      (kysely instance)');
        else expect(frame[13]).toBe('      postgres · (kysely instance)');
        // The window scrolls by whole binds: the last 8, the last bind's URL on the line above the blank one.
        await press(app.stdin, 'G');
        const end = await frameWhere(app.lastFrame, (f) => expect(f[0]).toMatch(/12-19 of 19 · \? keys$/));
        expectTwoLinesEach(end, NARROW.slice(11), width);
        expect(end[16]).toMatch(/^› \[ \] tenant11 /);
      });
    }

    it('fits the columns to the width exactly, giving the status at least 13 cells and a name at least 4, from 40 columns on', () => {
      for (const length of [1, 4, 7, 12, 16, 30]) {
        const rows = [row('x'.repeat(length))];
        for (let width = 40; width <= 160; width++) {
          const c = bindColumns(rows, width);
          expect(c.mark + c.name + c.dialect + c.current + c.head + c.pending + c.status).toBe(width);
          expect(c.status).toBeGreaterThanOrEqual(13);
          expect(c.name).toBeGreaterThanOrEqual(5);
        }
      }
      // The widths of the TSDoc example.
      const rows = [row('default'), row('db2')];
      expect(bindColumns(rows, 80)).toEqual({ mark: 6, name: 9, dialect: 9, current: 13, head: 13, pending: 8, status: 22 });
      expect(bindColumns(rows, 60)).toEqual({ mark: 6, name: 9, dialect: 0, current: 9, head: 9, pending: 8, status: 19 });
      expect(bindColumns(rows, 40)).toEqual({ mark: 6, name: 9, dialect: 0, current: 0, head: 0, pending: 8, status: 17 });
    });
  });

  it('keeps 2,000 tenant binds usable: a window of rows, b selects the branch, / filters as typed', async () => {
    const tenants = Array.from({ length: 2000 }, (_, i) => row(`tenant${String(i).padStart(4, '0')}`, { branch: 'tenant', displayUrl: `sqlite:.data/tenants/t${i}.db` }));
    const { lastFrame, stdin, onReview } = setup([row('default'), ...tenants, row('audit')]);
    let frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/ 0 of 2,002 selected · 1-8 of 2,002 · \? keys$/));
    expect(frame).toHaveLength(23);
    expect(frame[2]).toMatch(/^› \[ \] default /);
    expect(frame[22]).toBe('space select · a all · b branch · / filter · enter review · d downgrade · q quit');
    await press(stdin, 'j', 'b');
    await eventually(() => expect(lastFrame()).toMatch(/ 2,000 of 2,002 selected · 1-8 of 2,002 · \? keys/));
    await press(stdin, '/', ...'nt19');
    frame = await frameWhere(lastFrame, (f) => expect(f[21]).toBe('filter: nt19▏  (name or branch; enter keeps it, esc clears it)'));
    expect(frame[0]).toMatch(/ 2,000 of 2,002 selected · \/nt19: 100 shown · 1-8 of 100 · \? keys$/);
    expect(frame[2]).toMatch(/^› \[x\] tenant1900 /);
    await press(stdin, ...'99', KEY.enter);
    frame = await frameWhere(lastFrame, (f) => expect(f[0]).toContain('/nt1999: 1 shown'));
    expect(frame[2]).toMatch(/^› \[x\] tenant1999 /);
    expect(frame[4]).toBe('');
    await press(stdin, ' ', KEY.escape);
    frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/ 1,999 of 2,002 selected · 1,995-2,002 of 2,002 · \? keys/));
    // The focus stays on tenant1999, now among every bind.
    expect(frame.find((l) => l.startsWith('›'))).toMatch(/^› \[ \] tenant1999 /);
    await press(stdin, KEY.enter);
    await eventually(() => expect(onReview).toHaveBeenCalledTimes(1));
    expect(onReview.mock.calls[0]![0]).toHaveLength(1999);
    expect(overflowing(lines(lastFrame()), 80)).toEqual([]);
  });
});

describe('BindsScreen: a new list of binds (a reload)', () => {
  it('draws no frame with the new rows and the old selection: the selection of the binds that remain follows in the same frame', async () => {
    const handlers = { onReview: vi.fn(), onDowngrade: vi.fn(), onRefresh: vi.fn(), onBack: vi.fn() };
    const screen = (rows: BindRow[]) => <BindsScreen rows={rows} title="multidb" width={80} height={23} isActive {...handlers} />;
    const app = render(screen([row('default'), row('db2')]));
    await press(app.stdin, 'a');
    await frameWhere(app.lastFrame, (f) => expect(f[0]).toMatch(/2 of 2 selected/));
    const before = app.frames.length;
    app.rerender(screen([row('default'), row('db3')]));
    await frameWhere(app.lastFrame, (f) => expect(f.join('\n')).toMatch(/\[ \] db3/));
    const drawn = app.frames.slice(before).filter((f) => f.includes('db3'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const f of drawn) expect(lines(f)[0]).toMatch(/1 of 2 selected/);
  });
});
