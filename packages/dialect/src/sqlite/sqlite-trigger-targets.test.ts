import { describe, expect, it } from 'vitest';
import { sqlNames } from './sqlite-sql-references.js';
import { sqliteTriggerTargets, type TriggerTarget } from './sqlite-trigger-targets.js';

const trigger = (event: string, body: string) => `CREATE TRIGGER "tr" ${event} BEGIN ${body} END`;

describe('sqliteTriggerTargets', () => {
  it.each<[string, string, TriggerTarget[]]>([
    ['UPDATE OF in the event, on the table', trigger('AFTER UPDATE OF a, "B" ON t', 'SELECT 1;'), [
      { column: 'a', clause: 'UPDATE OF' },
      { column: 'B', clause: 'UPDATE OF' },
    ]],
    ['UPDATE … SET, with an OR clause, a tuple, CASE … END and a WHERE', trigger('AFTER INSERT ON log', `UPDATE OR IGNORE "T" SET b = CASE WHEN new.x THEN 1 ELSE 2 END, (c, "D") = (lower(new.y), 2), e = coalesce(e, 1) WHERE f = 1;`), [
      { column: 'b', clause: 'UPDATE SET' },
      { column: 'c', clause: 'UPDATE SET' },
      { column: 'D', clause: 'UPDATE SET' },
      { column: 'e', clause: 'UPDATE SET' },
    ]],
    ['INSERT and REPLACE column lists (INSERT OR REPLACE too)', trigger('AFTER DELETE ON log', 'INSERT INTO t (a, b) VALUES (old.x, 1); REPLACE INTO t (c) SELECT 1; INSERT OR REPLACE INTO t AS z ("d") VALUES (2);'), [
      { column: 'a', clause: 'INSERT column list' },
      { column: 'b', clause: 'INSERT column list' },
      { column: 'c', clause: 'INSERT column list' },
      { column: 'd', clause: 'INSERT column list' },
    ]],
    ['an upsert: ON CONFLICT and DO UPDATE SET', trigger('AFTER INSERT ON log', 'INSERT INTO t (id) VALUES (new.x) ON CONFLICT (id COLLATE NOCASE DESC, k) DO UPDATE SET n = n + 1, m = excluded.m WHERE n < 9;'), [
      { column: 'id', clause: 'INSERT column list' },
      { column: 'id', clause: 'ON CONFLICT' },
      { column: 'k', clause: 'ON CONFLICT' },
      { column: 'n', clause: 'DO UPDATE SET' },
      { column: 'm', clause: 'DO UPDATE SET' },
    ]],
  ])('%s', (_name, sql, expected) => {
    expect(sqliteTriggerTargets(sql, 't')).toEqual(expected);
  });

  it("ignores other tables' targets, expressions and the event of a trigger on another table", () => {
    const sql = trigger(
      'AFTER UPDATE OF b ON log',
      "INSERT INTO log (b) VALUES (new.b); UPDATE log SET b = (SELECT b FROM t); UPDATE tt SET b = 1; INSERT INTO log (x) SELECT b FROM t WHERE b = 'UPDATE t SET b = 1';",
    );
    expect(sqliteTriggerTargets(sql, 't')).toEqual([]);
    expect(sqliteTriggerTargets(sql, 'log')).toEqual([
      { column: 'b', clause: 'UPDATE OF' },
      { column: 'b', clause: 'INSERT column list' },
      { column: 'b', clause: 'UPDATE SET' },
      { column: 'x', clause: 'INSERT column list' },
    ]);
  });
});

describe('sqlNames', () => {
  it('counts a table followed by its column list (INSERT INTO t (…)), not as a function call', () => {
    expect(sqlNames('INSERT INTO t (a) VALUES (1)').has('t')).toBe(true);
    expect(sqlNames('REPLACE INTO "T" (a) SELECT lower(b) FROM u').has('t')).toBe(true);
    expect(sqlNames('SELECT lower(b) FROM u').has('lower')).toBe(false);
  });
});
