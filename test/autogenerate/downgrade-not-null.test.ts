// A column the models drop comes back in the downgrade as it was. When it was NOT NULL without a
// server default, that add fails as soon as the table has a row (PostgreSQL: the column contains
// null values; SQLite: the batch copy breaks the NOT NULL constraint), as an upgrade adding such a
// column does. Autogenerate warned only about the upgrade: it now also says so on stderr for the
// downgrade (migrate, which writes the revision; not check), naming bind, table and column, and the revision carries a WARNING comment above each
// such addColumn, upgrade or downgrade, saying what to do. The ops stay as they were (the
// downgrade restores the exact schema). Through the CLI, on SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from "vitest";
import { TempProject, type RunOutput } from "../support/project.js";
import { InProcessProject } from "../support/in-process-project.js";
import {
  describeWithServers,
  queryUrl,
  useDatabases,
} from "../support/servers.js";

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const models = (columns: readonly object[]) =>
  `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify({ tables: [{ name: "Customer", columns: [{ name: "CustomerId", type: "integer", primaryKey: true }, ...columns] }] }, null, 2)});\n`;
const warnings = (out: RunOutput) =>
  out.stderr.split("\n").filter((l) => l.includes("WARNING"));
/** The revision `migrate` wrote, relative to the project. */
function written(p: TempProject, out: RunOutput): string {
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
  expect(file, out.stdout + out.stderr).toBeDefined();
  return p.read(file!.slice(p.dir.length + 1));
}
/** The lines of a revision's `downgrade` (or `upgrade`) function. */
const bodyOf = (source: string, fn: "upgrade" | "downgrade") =>
  new RegExp(
    `export async function ${fn}\\(op[^)]*\\)[^{]*\\{\\n([^]*?)\\n\\}`,
  ).exec(source)?.[1] ?? "";

/** The comment above an addColumn of `column`, as wrapped at the template's width (indent 2, batch 4). */
const comment = (column: string, indent: string) =>
  [
    `${indent}// WARNING: adds column 'Customer'.'${column}' NOT NULL without a server default: this fails if`,
    `${indent}// 'Customer' has rows. Give it a server default here, or add it nullable, fill it, then make it`,
    `${indent}// NOT NULL (op.alterColumn).`,
  ].join("\n");

async function scenario(url: string): Promise<void> {
  const p = new InProcessProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`,
  });
  projects.push(p);
  const write = (sql: string) =>
    queryUrl(url, sql, [], { write: true, baseDir: p.dir });
  await p.ok("init", "--multidb");
  p.write(
    "models.ts",
    models([{ name: "Fax", type: "text", nullable: false }]),
  );
  const created = await p.ok("migrate", "-m", "customers");
  expect(warnings(created)).toEqual([]);
  await p.ok("upgrade");
  await write(
    `INSERT INTO "Customer" ("CustomerId", "Fax") VALUES (1, '555-0100')`,
  );

  // The models drop Fax: the downgrade adds it back NOT NULL without a default.
  p.write("models.ts", models([]));
  // check writes no revision: it says nothing about a downgrade.
  const checked = await p.run("check");
  expect(checked.code, checked.stdout + checked.stderr).toBe(4);
  expect(checked.stdout).toContain("Detected removed column 'Customer.Fax'");
  expect(checked.stderr).not.toContain("downgrade");
  const dropped = await p.ok("migrate", "-m", "no fax");
  expect(warnings(dropped)).toEqual([
    "[app] WARNING: Column 'Customer.Fax' is added back NOT NULL without a server default by the downgrade: the downgrade fails if 'Customer' has rows.",
  ]);
  const source = written(p, dropped);
  const downgrade = bodyOf(source, "downgrade");
  // Right above the op, in a batch (SQLite rebuilds) or not; the op restores the column as it was.
  expect(downgrade).toMatch(
    new RegExp(
      `(${literal(comment("Fax", "  "))}\\n  await op\\.addColumn\\('Customer', \\{ name: 'Fax', type: 'text', nullable: false \\}\\);|` +
        `${literal(comment("Fax", "    "))}\\n    batch\\.addColumn\\(\\{ name: 'Fax', type: 'text', nullable: false \\}\\);)`,
    ),
  );
  expect(bodyOf(source, "upgrade")).toMatch(/dropColumn\(/);
  expect(bodyOf(source, "upgrade")).not.toContain("WARNING");
  await p.ok("upgrade");
  // As the comment says: with a row, the downgrade fails (and leaves the upgrade in place).
  const down = await p.run("downgrade", "app");
  expect(down.code, down.stdout + down.stderr).not.toBe(0);
  expect(
    await queryUrl(url, 'SELECT "CustomerId" FROM "Customer"', [], {
      baseDir: p.dir,
    }),
  ).toEqual([{ CustomerId: 1 }]);

  // The upgrade's own case: a NOT NULL column added without a default, same warning and comment.
  p.write(
    "models.ts",
    models([{ name: "Phone", type: "text", nullable: false }]),
  );
  const added = await p.ok("migrate", "-m", "phone");
  expect(warnings(added)).toEqual([
    "[app] WARNING: Column 'Customer.Phone' is added NOT NULL without a server default: the upgrade fails if 'Customer' has rows.",
  ]);
  const upgrade = bodyOf(written(p, added), "upgrade");
  expect(upgrade).toMatch(
    new RegExp(
      `${literal(comment("Phone", "  "))}\\n  await op\\.addColumn\\('Customer', \\{ name: 'Phone'|${literal(comment("Phone", "    "))}\\n    batch\\.addColumn\\(\\{ name: 'Phone'`,
    ),
  );
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("a dropped NOT NULL column without a default, added back by the downgrade [sqlite]", () => {
  it("migrate warns on stderr and the downgrade carries a WARNING comment above the addColumn; the downgrade fails on a row", async () => {
    await scenario("sqlite:.data/app.db");
  });
});

describeWithServers(
  "a dropped NOT NULL column without a default, added back by the downgrade [postgres]",
  ["postgres"],
  () => {
    const dbs = useDatabases("downgrade_not_null_pg", { app: "postgres" });
    it("migrate warns on stderr and the downgrade carries a WARNING comment above the addColumn; the downgrade fails on a row", async () => {
      await scenario(dbs.app.url);
    });
  },
);
