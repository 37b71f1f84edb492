import type { Statement, TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, flavoursIn, type Flavour, type PerDialect, type TestDialect } from './dialects.js';
import { compileOps, type RevisionBody } from './op-harness.js';

/**
 * A revision body and the exact statements each dialect compiles it to (offline: no database).
 * A dialect without an expectation has no such case.
 */
export interface SqlCase {
  /** The test's title. */
  readonly name: string;
  /** The revision body: one for every dialect, or one per dialect (a flavour falls back to its dialect's). */
  readonly ops: RevisionBody | PerDialect<RevisionBody>;
  /** The statements expected per dialect: SQL texts, or whole statements with their parameters. */
  readonly expected: PerDialect<readonly string[] | readonly Statement[]>;
  /** Table snapshots in the compile context (what the runner would have introspected). */
  readonly snapshots?: readonly TableSnapshot[];
}

function bodyFor(c: SqlCase, d: TestDialect, flavour: Flavour): RevisionBody {
  if (typeof c.ops === 'function') return c.ops;
  const body = c.ops[flavour] ?? c.ops[d.name];
  if (!body) throw new Error(`case '${c.name}' has no ${flavour} revision body`);
  return body;
}

function check(c: SqlCase): void {
  const expected = Object.keys(c.expected);
  if (expected.length === 0) throw new Error(`case '${c.name}' expects nothing of any dialect`);
  if (typeof c.ops !== 'function') {
    for (const flavour of Object.keys(c.ops)) {
      if (!expected.includes(flavour)) throw new Error(`case '${c.name}' has a ${flavour} body but no ${flavour} SQL`);
    }
  }
}

/**
 * Registers one test per case written for `d`: each of `d`'s flavours with an expectation compiles
 * the case's ops to exactly the expected statements (or SQL texts).
 * @throws at collection, for a case that expects nothing or has a body without an expectation.
 * @example
 * ```ts
 * for (const d of DIALECTS) describe(d.name, () => itCompiles(d, [{ name: 'drop', ops: (op) => op.dropTable('T'), expected: { sqlite: ['DROP TABLE "T"'] } }]));
 * ```
 */
export function itCompiles(d: TestDialect, cases: readonly SqlCase[]): void {
  for (const c of cases) {
    check(c);
    const flavours = flavoursIn(d, c.expected);
    if (flavours.length === 0) continue;
    it(c.name, async () => {
      for (const [flavour, dialect, expected] of flavours) {
        const statements = await compileOps(dialect, bodyFor(c, d, flavour), c.snapshots);
        const texts = expected.every((e) => typeof e === 'string');
        expect(texts ? statements.map((s) => s.sql) : statements, flavour).toEqual(expected);
      }
    });
  }
}

/** Whether some case is written for `d` (has an expectation for one of its flavours). */
export function hasCases(d: TestDialect, cases: readonly SqlCase[]): boolean {
  return cases.some((c) => flavoursIn(d, c.expected).length > 0);
}

/**
 * For each dialect some case is written for: `describe('<dialect>: <feature>')` with its cases
 * ({@link itCompiles}).
 * @example
 * ```ts
 * describeCompiles('dropTable', [{ name: 'dropTable', ops: (op) => op.dropTable('T'), expected: { sqlite: ['DROP TABLE "T"'] } }]);
 * ```
 */
export function describeCompiles(feature: string, cases: readonly SqlCase[]): void {
  for (const d of DIALECTS) if (hasCases(d, cases)) describe(`${d.name}: ${feature}`, () => itCompiles(d, cases));
}
