// The documents `--json` prints are JSON, and @multidb/cli's exported types of them (`*Json`) must
// say what JSON.parse gives back. Was: `CurrentJson` (core's `CurrentBind.lockHolder`) and
// `ErrorJson`'s `holder` (core's `LockHolder`) declared `Date` for the times the JSON carries as
// ISO 8601 strings, so `holder.session.connectedAt.getTime()` compiled and threw. Checked two ways:
// - by the compiler (`cd test && npx tsc -p tsconfig.json --noEmit`): no field of any exported
//   JSON type is a `Date`, `Map`, `Set`, `bigint`, symbol or function (`NotJson<T>` names the
//   paths of such fields; it must be `never`); a run-time check makes sure the list of types
//   covers every `*Json` type @multidb/cli exports;
// - on real output: `current --json` and a `LOCK_TIMEOUT` error's `--json`, while this test holds
//   a PostgreSQL bind's migration lock: the holder's times are strings, in ISO 8601, as typed.
import { readFileSync } from 'node:fs';
import type {
  AutogenerateJson,
  BranchesJson,
  CheckJson,
  CodegenJson,
  CurrentBindJson,
  CurrentJson,
  ErrorDetailJson,
  ErrorJson,
  HeadsJson,
  HistoryJson,
  HistoryRevisionJson,
  LockHolderJson,
  LockHolderSessionJson,
  OfflineJson,
  RevisionJson,
  RevisionWrittenJson,
  RunJson,
  ShowJson,
  ShowRevisionJson,
  StampJson,
  StatusJson,
  StepJson,
} from '@multidb/cli';
import { createModuleLoader, loadEnvironment, type DialectConnection } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

/** Values JSON cannot carry as such: `JSON.stringify` turns them into something else, or drops them. */
type NotJsonValue = Date | ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> | bigint | symbol | ((...args: never[]) => unknown);

/** How deep {@link NotJson} looks (the types nest themselves: an error's `failures` are errors). */
type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The paths (`.binds[].lockHolder.acquiredAt`) of `T`'s fields whose type is not JSON's, 8 levels
 * deep; `never` when there is none. `unknown` (a value the type leaves open) is taken as JSON.
 */
type NotJson<T, P extends string = '', D extends number = 8> = [D] extends [never]
  ? never
  : unknown extends T
    ? never
    : T extends string | number | boolean | null | undefined
      ? never
      : T extends NotJsonValue
        ? P
        : T extends readonly (infer E)[]
          ? NotJson<E, `${P}[]`, Depth[D]>
          : T extends object
            ? { [K in keyof T & string]-?: NotJson<T[K], `${P}.${K}`, Depth[D]> }[keyof T & string]
            : P;

/** Every document type @multidb/cli exports, by its name. */
interface Documents {
  AutogenerateJson: AutogenerateJson;
  BranchesJson: BranchesJson;
  CheckJson: CheckJson;
  CodegenJson: CodegenJson;
  CurrentBindJson: CurrentBindJson;
  CurrentJson: CurrentJson;
  ErrorDetailJson: ErrorDetailJson;
  ErrorJson: ErrorJson;
  HeadsJson: HeadsJson;
  HistoryJson: HistoryJson;
  HistoryRevisionJson: HistoryRevisionJson;
  LockHolderJson: LockHolderJson;
  LockHolderSessionJson: LockHolderSessionJson;
  OfflineJson: OfflineJson;
  RevisionJson: RevisionJson;
  RevisionWrittenJson: RevisionWrittenJson;
  RunJson: RunJson;
  ShowJson: ShowJson;
  ShowRevisionJson: ShowRevisionJson;
  StampJson: StampJson;
  StatusJson: StatusJson;
  StepJson: StepJson;
}

/** {@link Documents}' names, as a value (the compiler refuses a name missing or one too many). */
const DOCUMENTS = Object.keys({
  AutogenerateJson: true,
  BranchesJson: true,
  CheckJson: true,
  CodegenJson: true,
  CurrentBindJson: true,
  CurrentJson: true,
  ErrorDetailJson: true,
  ErrorJson: true,
  HeadsJson: true,
  HistoryJson: true,
  HistoryRevisionJson: true,
  LockHolderJson: true,
  LockHolderSessionJson: true,
  OfflineJson: true,
  RevisionJson: true,
  RevisionWrittenJson: true,
  RunJson: true,
  ShowJson: true,
  ShowRevisionJson: true,
  StampJson: true,
  StatusJson: true,
  StepJson: true,
} satisfies Record<keyof Documents, true>);

describe("@multidb/cli's JSON types", () => {
  it('declare no Date (nor Map, Set, bigint, function) anywhere: what JSON.parse gives back', () => {
    // The compiler's check: a path listed here is a field typed as JSON cannot carry it.
    expectTypeOf<{ [K in keyof Documents]: NotJson<Documents[K]> }>().toEqualTypeOf<{ [K in keyof Documents]: never }>();
    // NotJson finds what it looks for (the check above would pass on a NotJson that finds nothing).
    expectTypeOf<NotJson<{ a: { at?: Date }[]; b: string }>>().toEqualTypeOf<'.a[].at'>();
  });

  it("cover every '*Json' type @multidb/cli exports", () => {
    const index = readFileSync(new URL('../../packages/cli/src/index.ts', import.meta.url), 'utf8');
    const exported = [...index.matchAll(/\b([A-Z]\w*Json)\b/g)].map((m) => m[1]!);
    expect([...new Set(exported)].sort()).toEqual([...DOCUMENTS].sort());
  });
});

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A time field as its type says: a string in ISO 8601 that a `Date` gives back unchanged. */
function expectIso(value: string | undefined): void {
  expect(value).toMatch(ISO);
  expect(new Date(value!).toISOString()).toBe(value);
}

/** Every time field of a session's lock holder, typed as the JSON types say (a `Date` there would not compile). */
function expectTimes(holder: LockHolderJson | undefined): void {
  const session: LockHolderSessionJson | undefined = holder?.session;
  expect(session).toBeDefined();
  const times: Record<string, string | undefined> = { connectedAt: session!.connectedAt, stateSince: session!.stateSince };
  for (const value of Object.values(times)) expectIso(value);
  expect(session!.transactionStartedAt).toBeUndefined(); // the holder is idle, no transaction open
}

describeWithServers('the times in --json output, on PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('json_types', { app: 'postgres' });

  it('current --json and a LOCK_TIMEOUT --json give the lock holder\'s times as ISO 8601 strings', async () => {
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(dbs.app.url)} } } });\n` });
    p.write('migrations/versions/app/10c4000000a1_t.ts', revisionSource({ revision: '10c4000000a1', downRevision: null, branchLabels: ['app'], upgrade: "await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t');" }));
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    try {
      const conn: DialectConnection = await env.connection('app');
      await conn.acquireLock({ name: 'multidb::multidb_version' });
      try {
        const current = await p.run('current', '--json');
        expect(current.code, current.stderr).toBe(0);
        const [bind] = (JSON.parse(current.stdout) as CurrentJson).binds;
        expectTimes(bind?.lockHolder);

        const upgrade = await p.run('upgrade', '--lock-timeout', '1', '--json');
        expect(upgrade.code, upgrade.stderr).toBe(3);
        const { error } = JSON.parse(upgrade.stdout) as ErrorJson;
        expect(error.code).toBe('LOCK_TIMEOUT');
        expectTimes(error.holder);
      } finally {
        await conn.releaseLock();
      }
    } finally {
      await env.close();
      p.remove();
    }
  });
});
