import { describe, expect, it } from 'vitest';
import { statementKind } from './statement-kind.js';

describe('statementKind', () => {
  it('tells reads and session settings, data changes, procedural statements and schema statements apart by the first keyword', () => {
    expect(['SELECT 1', '(select 1)', 'SHOW TABLES', 'SET foreign_key_checks = 0', '/* hint */ select 1', '-- c\nSELECT 1', 'VALUES (1)', 'TABLE t', 'EXPLAIN SELECT 1', 'describe t', 'DESC t', 'USE app', 'HELP contents'].map(statementKind)).toEqual(Array(13).fill('read'));
    expect(['INSERT INTO t VALUES (1)', ' update t set a = 1', 'DELETE FROM t', 'REPLACE INTO t VALUES (1)', 'WITH x AS (SELECT 1) UPDATE t SET a = 1', 'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', "LOAD DATA INFILE 'x' INTO TABLE t", 'UPSERT INTO t VALUES (1)'].map(statementKind)).toEqual(Array(8).fill('dml'));
    expect(['CALL refresh_totals()', '/* x */ call p(1)', "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$", 'DO RELEASE_LOCK(\'x\')'].map(statementKind)).toEqual(Array(4).fill('procedural'));
    expect(['CREATE TABLE t (id int)', 'ALTER TABLE t ADD x int', 'DROP TABLE t', 'RENAME TABLE a TO b', 'GRANT ALL ON *.* TO x', '', '-- only a comment', 'SELECTED', 'DOUBLE'].map(statementKind)).toEqual(Array(9).fill('ddl'));
  });
});
