import { BindError, LockTimeoutError, MigrationError, PartlyAppliedError, RunError, UnreachableBindsError, type StepInfo } from '@multidb/core';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { columnOf, eventually, frameWhere, KEY, lines, overflowing, press, scriptedSession } from '../../../test/support/ink.js';
import { toRunFailure } from '../../run/run-message.js';
import { progressLines, RunScreen, summaryLines } from './run-screen.js';
import { initialRunState, runReducer } from './use-run-state.js';

const step = (bind: string, revision: string, message: string, index: number, total: number, from: string[]): StepInfo => ({
  bind,
  revision,
  direction: 'up',
  index,
  total,
  message,
  downRevisions: from,
  from,
});

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_000_000;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('RunScreen', () => {
  it('shows long bind names whole at 80 columns (the name column takes up to two fifths of the width)', async () => {
    const names = ['tenant_07_customer_eu', 'db2'];
    const session = scriptedSession('up', names.map((b) => ({ binds: [b], targets: [`${b}@head`] })));
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    await eventually(() =>
      expect(lines(lastFrame()).slice(1, 3)).toEqual(['· tenant_07_customer_eu  connecting, taking the migration lock', '· db2                    connecting, taking the migration lock']),
    );
    expect(overflowing(lines(lastFrame()), 80)).toEqual([]);
  });

  it('shows each bind live: lock wait, revision n of m with elapsed time, done; then the summary', async () => {
    const session = scriptedSession('up', [{ binds: ['default'], targets: ['default@head'] }, { binds: ['db2'], targets: ['db2@head'] }]);
    const { clock, advance } = manualClock();
    const onFinished = vi.fn();
    const onBack = vi.fn();
    const { lastFrame, stdin } = render(<RunScreen session={session} width={80} height={23} isActive onBack={onBack} onFinished={onFinished} clock={clock} />);
    await eventually(() =>
      expect(lines(lastFrame()).slice(0, 3)).toEqual([
        expect.stringMatching(/^Upgrade · running 0\.0 s · 2 independent parts in parallel +\? keys$/),
        '· default  connecting, taking the migration lock',
        '· db2      connecting, taking the migration lock',
      ]),
    );

    const a = step('default', 'e00861d9f40d', 'add album track count', 1, 1, ['777187012aef']);
    const b1 = step('db2', 'fd2415b8acac', 'add invoice currency', 1, 2, ['6cd0a1d092b6']);
    const b2 = step('db2', '0b1c2d3e4f5a', 'add invoice note', 2, 2, ['fd2415b8acac']);
    session.emit(1, { type: 'event', event: { type: 'lock-wait', bind: 'db2' } });
    session.emit(0, { type: 'event', event: { type: 'lock-acquired', bind: 'default', waitedMs: 0 } });
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [a] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...a } });
    advance(1500);
    await eventually(() => {
      expect(lines(lastFrame())[1]).toMatch(/^. default  revision 1 of 1: e00861d9f40d add album track count · 1\.5 s$/);
      expect(lines(lastFrame())[2]).toBe('… db2      waiting for the migration lock (1.5 s): another run holds it');
    });

    session.emit(0, { type: 'event', event: { type: 'step-done', ...a, elapsedMs: 1500 } });
    session.emit(0, { type: 'event', event: { type: 'bind-done', bind: 'default', ok: true, heads: ['e00861d9f40d'] } });
    session.emit(0, { type: 'finished' });
    session.emit(1, { type: 'event', event: { type: 'lock-acquired', bind: 'db2', waitedMs: 2000 } });
    session.emit(1, { type: 'event', event: { type: 'plan', steps: [b1, b2] } });
    session.emit(1, { type: 'event', event: { type: 'step-start', ...b1 } });
    session.emit(1, { type: 'event', event: { type: 'step-done', ...b1, elapsedMs: 10 } });
    session.emit(1, { type: 'event', event: { type: 'step-start', ...b2 } });
    await eventually(() => {
      expect(lines(lastFrame())[1]).toBe('✔ default  done: 1 revision in 1.5 s, now at e00861d9f40d');
      expect(lines(lastFrame())[2]).toMatch(/^. db2      revision 2 of 2: 0b1c2d3e4f5a add invoice note · 0\.0 s$/);
    });
    await press(stdin, 'q');
    await eventually(() => expect(lastFrame()).toContain('The run is in progress: wait for it to finish (ctrl+c stops it).'));
    expect(onBack).not.toHaveBeenCalled();

    advance(500);
    session.emit(1, { type: 'event', event: { type: 'step-done', ...b2, elapsedMs: 10 } });
    session.emit(1, { type: 'event', event: { type: 'bind-done', bind: 'db2', ok: true, heads: ['0b1c2d3e4f5a'] } });
    session.emit(1, { type: 'finished' });
    await eventually(() => expect(onFinished).toHaveBeenCalledTimes(1));
    const frame = lines(lastFrame());
    expect(frame[0]).toMatch(/^Upgrade · finished · 2 independent parts in parallel/);
    expect(frame[2]).toBe('✔ db2      done: 2 revisions in 0.5 s, now at 0b1c2d3e4f5a');
    expect(frame[4]).toBe('Upgrade finished in 2.0 s: default, db2 upgraded (3 revisions).');
    expect(frame.at(-1)).toBe('enter · q  back to the binds');
    expect(onFinished).toHaveBeenCalledTimes(1);
    await press(stdin, KEY.enter);
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(1));
  });

  it('shows a failing bind\'s error and statement while the other part goes on', async () => {
    const session = scriptedSession('up', [{ binds: ['db2', 'db3'], targets: ['db2@head', 'db3@head'] }, { binds: ['default'], targets: ['default@head'] }]);
    const { clock } = manualClock();
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={clock} />);
    const b = step('db2', 'fd2415b8acac', 'add invoice currency', 1, 1, ['6cd0a1d092b6']);
    const c = step('db3', 'c1', 'create log', 1, 1, []);
    const error = toRunFailure(
      Object.assign(new Error('[db2] revision fd2415b8acac failed: no such table: Invoice'), {
        name: 'MigrationError',
        bind: 'db2',
        revision: 'fd2415b8acac',
        statement: 'ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
        partial: false,
        cause: new Error('no such table: Invoice'),
      }),
    );
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [b, c] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...b } });
    session.emit(0, { type: 'event', event: { type: 'step-failed', ...b, error } });
    session.emit(0, { type: 'failed', error });
    session.emit(1, { type: 'event', event: { type: 'plan', steps: [step('default', 'a1', 'create artist', 1, 1, [])] } });
    session.emit(1, { type: 'event', event: { type: 'step-start', ...step('default', 'a1', 'create artist', 1, 1, []) } });
    await eventually(() =>
      expect(lines(lastFrame()).slice(1, 7)).toEqual([
        '✘ db2      failed at revision 1 of 1: fd2415b8acac add invoice currency',
        '           no such table: Invoice',
        '           statement: ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
        '           rolled back; db2 stays at 6cd0a1d092b6',
        '– db3      not run: the run of its binds stopped when db2 failed',
        expect.stringMatching(/^. default  revision 1 of 1: a1 create artist · 0\.0 s$/),
      ]),
    );
    session.emit(1, { type: 'event', event: { type: 'step-done', ...step('default', 'a1', 'create artist', 1, 1, []), elapsedMs: 1 } });
    session.emit(1, { type: 'event', event: { type: 'bind-done', bind: 'default', ok: true, heads: ['a1'] } });
    session.emit(1, { type: 'output', text: 'loaded 3 rows' });
    session.emit(1, { type: 'finished' });
    await eventually(() => expect(lastFrame()).toContain('Output of the revisions:\n  loaded 3 rows'));
    await eventually(() => expect(lastFrame()).toContain('Upgrade finished in 0.0 s: default upgraded (1 revision); db2 failed at\nfd2415b8acac, stays at 6cd0a1d092b6; db3 not run.'));
  });

  it('a partly applied MySQL/MariaDB revision: says to fix what failed first, then to run again (was: only "run the upgrade again", which fails the same way)', async () => {
    const session = scriptedSession('up', [{ binds: ['analytics'], targets: ['analytics@head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    const b = step('analytics', '4cde5f14db9a', 'daily rollup', 1, 1, ['e6a90bfa75bb']);
    const error = toRunFailure(
      Object.assign(new Error("[analytics] revision 4cde5f14db9a failed: Table 'shop.daily_typo' doesn't exist"), {
        name: 'MigrationError',
        bind: 'analytics',
        revision: '4cde5f14db9a',
        statement: 'INSERT INTO daily_typo (id, n) VALUES (1, 2)',
        partial: true,
        resumable: true,
        cause: new Error("Table 'shop.daily_typo' doesn't exist"),
      }),
    );
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [b] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...b } });
    session.emit(0, { type: 'event', event: { type: 'step-failed', ...b, error } });
    session.emit(0, { type: 'event', event: { type: 'bind-done', bind: 'analytics', ok: false, heads: ['e6a90bfa75bb'] } });
    session.emit(0, { type: 'failed', error });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Upgrade · finished/));
    const block = frame.slice(1, frame.findIndex((l, i) => i > 0 && l === ''));
    expect(block[0]).toBe('✘ analytics  failed at revision 1 of 1: 4cde5f14db9a daily rollup');
    // Whole (not cut with …), after the reason and the statement.
    expect(block.slice(3).map((l) => l.trim()).join(' ')).toBe(
      'part of this revision was applied and its progress recorded; analytics stays at e6a90bfa75bb with it in flight. ' +
        'Fix what failed (the revision may change from the write that failed on, not before it), then run the upgrade again to resume after the last completed write.',
    );
    expect(frame.join(' ')).not.toContain('…');
    expect(frame.map((l) => l.trim()).join(' ')).toContain('analytics failed at 4cde5f14db9a, stays at e6a90bfa75bb with it partly applied (fix what failed, then run the upgrade again to resume).');
    expect(overflowing(frame, 80)).toEqual([]);
  });

  it('shows a refusal before any revision ran whole, its way out included (was: cut after three lines)', async () => {
    const session = scriptedSession('down', [{ binds: ['analytics'], targets: ['analytics@-1'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    const refusal = new PartlyAppliedError({ bind: 'analytics', revision: '4cde5f14db9a', direction: 'up', completed: ['createTable daily'], asked: 'downgrade e6a90bfa75bb' });
    session.emit(0, { type: 'failed', error: toRunFailure(refusal) });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Downgrade · finished/));
    const block = frame.slice(1, frame.findIndex((l, i) => i > 0 && l === ''));
    expect(block[0]).toBe('✘ analytics  failed');
    expect(block.slice(1).map((l) => l.trim()).join(' ')).toBe(refusal.message);
    expect(overflowing(frame, 80)).toEqual([]);
  });

  /** A bind's connect refused, as core words it (the URL masked). */
  const refused = (bind: string, port: number) =>
    new BindError({ bind, action: 'connect', doing: `connect to postgres://app:***@127.0.0.1:${port}/sales`, reason: `connect ECONNREFUSED 127.0.0.1:${port}` });

  it('binds that could not be connected: each fails with its own reason, and the first says nothing ran and names the binds not run (was: its first line alone)', async () => {
    const session = scriptedSession('up', [{ binds: ['aa', 'closed', 'closed2'], targets: ['aa@head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    session.emit(0, { type: 'failed', error: toRunFailure(new UnreachableBindsError([refused('closed', 9), refused('closed2', 1)], { notRun: ['aa'], direction: 'up' })) });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Upgrade · finished/));
    // Was: closed2 'not run: the run of its binds stopped when closed failed', and no word on aa but its own line.
    expect(frame.slice(1, 11)).toEqual([
      '– aa       not run: the run of its binds stopped when closed failed',
      '✘ closed   failed',
      '           [closed] cannot connect to postgres://app:***@127.0.0.1:9/sales:',
      '           connect ECONNREFUSED 127.0.0.1:9',
      '           nothing ran: the upgrade connects every bind before its first step;',
      '           not run: aa.',
      '✘ closed2  failed',
      '           [closed2] cannot connect to postgres://app:***@127.0.0.1:1/sales:',
      '           connect ECONNREFUSED 127.0.0.1:1',
      '',
    ]);
    expect(frame[11]).toBe('Upgrade finished in 0.0 s: closed failed; closed2 failed; aa not run.');
    expect(overflowing(frame, 80)).toEqual([]);
  });

  it('a bind met at its group\'s turn, nothing run before it: the run stopped there, as core words it (was: "nothing ran: … connects every bind")', async () => {
    const session = scriptedSession('up', [{ binds: ['closed', 't03'], targets: ['head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    const error = new UnreachableBindsError([refused('closed', 9)], { notRun: ['t03'], completed: [], direction: 'up', atGroup: true });
    expect(error.message.split('\n').at(-1)).toBe("  not run (the run stopped here): t03. '--concurrency N' goes on past an unreachable bind.");
    session.emit(0, { type: 'failed', error: toRunFailure(error) });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Upgrade · finished/));
    const text = frame.map((l) => l.trim()).join(' ');
    expect(text).toContain('not run (the run stopped here): t03.');
    expect(text).not.toContain('nothing ran');
  });

  it('a part of independent groups with a bind it could not connect: that bind fails with its reason (was: "not run")', async () => {
    const session = scriptedSession('up', [{ binds: ['closed', 'zz'], targets: ['closed@head', 'zz@head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    const z = step('zz', 'zz0000000001', 'first', 1, 1, []);
    session.emit(0, { type: 'event', event: { type: 'bind-done', bind: 'closed', ok: false, heads: [] } });
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [z] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...z } });
    session.emit(0, { type: 'event', event: { type: 'step-done', ...z, elapsedMs: 1 } });
    session.emit(0, { type: 'event', event: { type: 'bind-done', bind: 'zz', ok: true, heads: ['zz0000000001'] } });
    session.emit(0, { type: 'failed', error: toRunFailure(new RunError([], [], [refused('closed', 9)])) });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Upgrade · finished/));
    expect(frame.slice(1, 5)).toEqual([
      '✘ closed  failed',
      '          [closed] cannot connect to postgres://app:***@127.0.0.1:9/sales:',
      '          connect ECONNREFUSED 127.0.0.1:9',
      '✔ zz      done: 1 revision in 0.0 s, now at zz0000000001',
    ]);
  });

  it('at 40 columns, failed binds whose errors take more lines than the body has: the overview, and the summary whole under it (was: a line per bind, the lines squeezed over each other)', async () => {
    const session = scriptedSession('up', [{ binds: ['closed1', 'closed2', 'closed3'], targets: ['head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={40} height={24} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    // Each reason takes 7 lines at 40 columns.
    const far = (bind: string) =>
      new BindError({ bind, action: 'connect', doing: `connect to postgres://app:***@reporting-primary.eu-west-1.db.example.org:5432/sales`, reason: 'getaddrinfo ENOTFOUND reporting-primary.eu-west-1.db.example.org' });
    session.emit(0, { type: 'failed', error: toRunFailure(new UnreachableBindsError([far('closed1'), far('closed2'), far('closed3')], { direction: 'up' })) });
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Upgrade · finished/));
    expect(frame).toHaveLength(24);
    expect(frame[1]).toBe('3 binds: 3 failed');
    const summary = frame.findIndex((l) => l.startsWith('Upgrade finished'));
    expect(frame.slice(summary, summary + 2)).toEqual(['Upgrade finished in 0.0 s: closed1', 'failed; closed2 failed; closed3 failed.']);
    expect(frame[summary - 1]).toBe('');
    expect(overflowing(frame, 40)).toEqual([]);
  });

  it('keeps wide bind names, messages and errors within the width, the names in one column', async () => {
    const B = '売上データベース東京';
    const session = scriptedSession('up', [{ binds: [B], targets: [`${B}@head`] }, { binds: ['cafe\u0301'], targets: ['cafe\u0301@head'] }]);
    const { clock } = manualClock();
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={clock} />);
    const b = step(B, 'fd2415b8acac', '請求書に通貨の列を追加し、既存の行をすべて米ドルで埋める 🚀', 1, 1, ['6cd0a1d092b6']);
    const error = toRunFailure(Object.assign(new Error(`[${B}] failed`), { name: 'MigrationError', bind: B, revision: 'fd2415b8acac', statement: `UPDATE "請求書" SET "通貨" = '${'米ドル'.repeat(30)}'`, partial: false, cause: new Error(`テーブルがありません: ${'請求書'.repeat(30)}`) }));
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [b] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...b } });
    session.emit(0, { type: 'event', event: { type: 'step-failed', ...b, error } });
    session.emit(0, { type: 'failed', error });
    session.emit(1, { type: 'output', text: `ログ: ${'行'.repeat(60)}` });
    await eventually(() => expect(lastFrame()).toContain('ログ'));
    const frame = lines(lastFrame());
    expect(overflowing(frame, 80)).toEqual([]);
    expect(frame).toHaveLength(23);
    // The name column takes up to two fifths of the width (32 cells at 80): the name (20 cells) whole.
    expect(frame[1]).toMatch(/^✘ 売上データベース東京 {2}failed at revision 1 of 1: fd2415b8acac 請求書に通貨の…$/);
    // The reason is one long word after its first: it starts on a line of its own, cut by cells.
    expect(frame[2]).toBe(`${' '.repeat(24)}テーブルがありません:`);
    expect(frame[3]).toBe(`${' '.repeat(24)}${'請求書'.repeat(9)}請`);
    const second = frame.find((l) => l.includes('cafe\u0301'))!;
    expect(columnOf(second, 'connecting')).toBe(columnOf(frame[1]!, 'failed'));
    expect(frame).toContain(`  ログ: ${'行'.repeat(35)}…`);
  });

  it('ends a failing statement cut at its third line with …, so it does not read as the whole statement', async () => {
    const session = scriptedSession('up', [{ binds: ['catalog'], targets: ['catalog@head'] }]);
    const { lastFrame } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={manualClock().clock} />);
    const b = step('catalog', '25efa17f11b7', 'composer required', 1, 1, ['eda7c77f8da6']);
    const columns = ['TrackId', 'Name', 'AlbumId', 'MediaTypeId', 'GenreId', 'Composer', 'Milliseconds', 'Bytes', 'UnitPrice'].map((c) => `"${c}"`).join(', ');
    const statement = `INSERT INTO "_multidb_tmp_Track" (${columns}) SELECT ${columns} FROM "Track"`;
    const error = toRunFailure(Object.assign(new Error('[catalog] failed'), { name: 'MigrationError', bind: 'catalog', revision: '25efa17f11b7', statement, partial: false, cause: new Error('NOT NULL constraint failed: _multidb_tmp_Track.Composer') }));
    session.emit(0, { type: 'event', event: { type: 'plan', steps: [b] } });
    session.emit(0, { type: 'event', event: { type: 'step-start', ...b } });
    session.emit(0, { type: 'event', event: { type: 'step-failed', ...b, error } });
    session.emit(0, { type: 'failed', error });
    await eventually(() => expect(lastFrame()).toContain('rolled back'));
    const frame = lines(lastFrame());
    expect(overflowing(frame, 80)).toEqual([]);
    const at = frame.findIndex((l) => l.includes('statement: INSERT'));
    expect(frame[at + 2]).toMatch(/…$/);
    expect(frame[at + 3]).toMatch(/rolled back; catalog stays at eda7c77f8da6/);
    // Text that fits is not marked.
    expect(frame.find((l) => l.includes('NOT NULL constraint failed'))).toMatch(/Composer$/);
  });

  it('keeps 2,000 tenant binds of one branch readable: counts, a bar, running and failed binds in detail, within the height', async () => {
    const tenants = Array.from({ length: 2000 }, (_, i) => `tenant${String(i).padStart(4, '0')}`);
    const groups = [0, 1, 2, 3].map((g) => ({ binds: tenants.slice(g * 500, g * 500 + 500), targets: tenants.slice(g * 500, g * 500 + 500).map((t) => `${t}@head`) }));
    const session = Object.assign(scriptedSession('up', groups), { branches: Object.fromEntries(tenants.map((t) => [t, 'tenant'])) });
    const { clock } = manualClock();
    const { lastFrame, frames, stdin } = render(<RunScreen session={session} width={80} height={23} isActive onBack={vi.fn()} clock={clock} />);
    const s = (bind: string) => step(bind, 'a1b2c3d4e5f6', 'add invoice currency', 1, 1, []);
    // One plan per group of ten binds, as a run that plans independent tenants separately sends them.
    for (let g = 0; g < 4; g++) for (let i = 0; i < 500; i += 10) session.emit(g, { type: 'event', event: { type: 'plan', steps: groups[g]!.binds.slice(i, i + 10).map(s) } });
    for (const t of tenants.slice(0, 100)) {
      session.emit(0, { type: 'event', event: { type: 'step-start', ...s(t) } });
      session.emit(0, { type: 'event', event: { type: 'step-done', ...s(t), elapsedMs: 1 } });
      session.emit(0, { type: 'event', event: { type: 'bind-done', bind: t, ok: true, heads: ['a1b2c3d4e5f6'] } });
    }
    const error = toRunFailure(Object.assign(new Error('[tenant0500] failed'), { name: 'MigrationError', bind: 'tenant0500', revision: 'a1b2c3d4e5f6', statement: 'ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)', cause: new Error('no such table: Invoice') }));
    session.emit(1, { type: 'event', event: { type: 'step-start', ...s('tenant0500') } });
    session.emit(1, { type: 'event', event: { type: 'step-failed', ...s('tenant0500'), error } });
    session.emit(1, { type: 'event', event: { type: 'bind-done', bind: 'tenant0500', ok: false, heads: [] } });
    session.emit(1, { type: 'failed', error });
    for (const t of ['tenant0100', 'tenant1000', 'tenant1500']) session.emit(Math.floor(Number(t.slice(6)) / 500), { type: 'event', event: { type: 'step-start', ...s(t) } });
    await eventually(() => expect(lines(lastFrame())[1]).toBe('2,000 binds: 100 done · 3 running · 1 failed · 1,397 pending · 499 not run'));
    const frame = lines(lastFrame());
    expect(frame).toHaveLength(23);
    expect(overflowing(frame, 80)).toEqual([]);
    expect(frame[2]).toBe(`tenant  ${'█'.repeat(6)}${'░'.repeat(14)} 600/2,000  ✔ 100  ⠿ 3  ✘ 1  · 1,397  – 499`);
    expect(frame.slice(4, 11)).toEqual([
      expect.stringMatching(/^. tenant0100  revision 1 of 1: a1b2c3d4e5f6 add invoice currency · 0\.0 s$/),
      expect.stringMatching(/^. tenant1000  revision 1 of 1/),
      expect.stringMatching(/^. tenant1500  revision 1 of 1/),
      '✘ tenant0500  failed at revision 1 of 1: a1b2c3d4e5f6 add invoice currency',
      '              no such table: Invoice',
      '              statement: ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
      '              rolled back; tenant0500 stays at base',
    ]);
    expect(frame.at(-1)).toBe('running · ctrl+c stops it after the revisions in progress · ↑ ↓ scroll');
    // Every frame drawn on the way stayed within the terminal.
    expect(frames.map((f) => lines(f).length).filter((n) => n > 23)).toEqual([]);

    // Scrolling moves the detail list by bind.
    await press(stdin, KEY.down);
    await eventually(() => expect(lines(lastFrame())[4]).toMatch(/^. tenant1000  revision 1 of 1/));
    await press(stdin, 'j');
    await eventually(() => expect(lines(lastFrame())[4]).toMatch(/^. tenant1500  revision 1 of 1/));
    expect(lines(lastFrame()).slice(4, 10)).toEqual([
      expect.stringMatching(/^. tenant1500  revision 1 of 1/),
      '✘ tenant0500  failed at revision 1 of 1: a1b2c3d4e5f6 add invoice currency',
      '              no such table: Invoice',
      '              statement: ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)',
      '              rolled back; tenant0500 stays at base',
      '… running or failed binds 3-4 of 4 · ↑ ↓ scroll',
    ]);

    // The end: the summary names a few binds of each kind and counts the rest.
    for (const g of [0, 2, 3]) session.emit(g, { type: 'finished' });
    await eventually(() => expect(lines(lastFrame())[0]).toMatch(/^Upgrade · finished/));
    const end = lines(lastFrame());
    expect(end).toHaveLength(23);
    expect(overflowing(end, 80)).toEqual([]);
    expect(end.join(' ')).toContain('tenant0000, tenant0001, tenant0002, tenant0003, tenant0004 and 95 more upgraded (100 revisions); tenant0500 failed at a1b2c3d4e5f6, stays at base;');
    expect(end.join(' ')).toContain('and 494 more not run;');
  });
});

describe('progressLines of a run of tenants that a held migration lock stopped (core\'s RunError.stopped)', () => {
  it("the tenant whose lock was held failed, saying so, who holds it when the dialect tells (its error's holder) and where it stays; the other binds of its group were not run because of it (was: 'not run: the run of its binds stopped' for each)", () => {
    const holder = { holder: 'app1:4242:7', acquiredAt: new Date('2026-12-07T10:00:00Z'), expiresAt: new Date('2026-12-07T10:00:30Z'), expired: false };
    const lock = new LockTimeoutError('t2', 30_000, { holder });
    const error = new RunError([], [], [], [{ bind: 't2', binds: ['t2', 't2b'], at: ['5e5e5e5e5e01'], error: lock }], [], undefined, { retry: { command: 'upgrade' } });
    const state = runReducer(initialRunState('up', [{ binds: ['t1', 't2', 't2b'] }], 0), { type: 'message', group: 0, message: { type: 'failed', error: toRunFailure(error) }, now: 0 });
    const shown = (bind: string) => progressLines(state.binds[state.index.get(bind)!]!, state, 4, 80).map((l) => l.text.trim());
    expect(shown('t2')).toEqual([
      '✘ t2    failed',
      'Timed out after 30 s waiting for the migration lock on t2: another run',
      "holds it (app1:4242:7, since 2026-12-07T10:00:00.000Z). 't2' stays at",
      '5e5e5e5e5e01 (nothing ran on t2, t2b)',
    ]);
    expect(shown('t2b')).toEqual(['– t2b   not run: the run of its binds stopped when t2 failed']);
    expect(shown('t1')).toEqual(['– t1    not run: the run of its binds stopped']);
  });
});

describe('summaryLines', () => {
  // t2 failed after '+2' took t1 further (core's MigrationError with its retry), at 40 columns.
  const error = new MigrationError({ bind: 't2', revision: '5e5e5e5e5e03', retry: { command: 'upgrade', relative: ['+2'], targets: ['t2@5e5e5e5e5e03'] } }, new Error('t2 refuses'));
  const state = runReducer(initialRunState('up', [{ binds: ['t1', 't2', 't3'] }], 0), { type: 'message', group: 0, message: { type: 'failed', error: toRunFailure(error) }, now: 0 });
  const next = 'Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@5e5e5e5e5e03.';

  it('puts how to finish the run on lines of its own, after the outcome, both whole when they fit', () => {
    expect(summaryLines(state, 40, 20)).toEqual([
      'Upgrade finished in 0.0 s: t2 failed;',
      't1, t3 not run.',
      'Running the upgrade again would step',
      'again the binds that ran; to finish just',
      'what it meant, once what failed is',
      'fixed, run instead: migrate upgrade',
      't2@5e5e5e5e5e03.',
    ]);
  });

  it('short of lines, cuts the outcome to its first line before how to finish, and marks each cut with …', () => {
    const six = summaryLines(state, 40, 6);
    expect(six).toHaveLength(6);
    expect(six[0]).toBe('Upgrade finished in 0.0 s: t2 failed;…');
    expect(six.slice(1).join(' ')).toBe(next);
    const three = summaryLines(state, 40, 3);
    expect(three).toEqual(['Upgrade finished in 0.0 s: t2 failed;…', 'Running the upgrade again would step', 'again the binds that ran; to finish jus…']);
  });
});
