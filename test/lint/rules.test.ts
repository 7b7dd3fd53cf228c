// Every lint rule: a schema or pending migration where it fires, one where it does not; the silencer, which needs a
// reason; rules that look at rows, on real local databases with rows in them.
import { describe, expect, it } from "vitest";
import { diffSchemas } from "../../generator/diff/diff.js";
import { database, index, integer, table, text, uniqueIndex, type ColumnBuilder } from "../../generator/dsl/index.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import type { LintFinding } from "../../generator/model/finding.js";
import { runLintRules } from "../../generator/lint/lint.js";
import { rebuildRowsWarning, type PendingMigration } from "../../generator/lint/migration-rules.js";
import { lintRules, type LintRuleId } from "../../generator/model/lint-rules.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { validateDatabase } from "../../generator/model/validate.js";
import { planMigration } from "../../generator/plan/plan.js";
import { databaseFrom, modelOf } from "../helpers/evolve.js";

const teams = table("teams", { id: text().primaryKey(), name: text().notNull() });
const members = (options: { indexed?: boolean; lint?: Record<string, string> } = {}) =>
  table(
    "members",
    { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text() },
    { indexes: options.indexed === false ? [] : [index("idx_members_team").on("team_id")], lint: options.lint },
  );

function rulesOf(findings: readonly LintFinding[], rule: LintRuleId): LintFinding[] {
  return findings.filter((item) => item.kind === rule);
}

function schemaLint(...models: Database[]) {
  return runLintRules(models).findings;
}

/** The pending migration from `from` to `to`, with a local database holding `from` and the rows `seed` inserts. */
function pendingLint(from: Database, to: Database, seed?: string): LintFinding[] {
  const diff = diffSchemas(from, to);
  const changes = diff.changes;
  const local = seed === undefined ? undefined : databaseFrom(from);
  if (local && seed) local.exec(seed);
  let plan;
  try {
    plan = planMigration(diff);
  } catch {
    plan = undefined;
  }
  const pending: PendingMigration = { model: to, previous: from, changes, plan, local: local ? [{ binding: "TEST_DB", db: local }] : undefined };
  return runLintRules([to], [pending]).findings;
}

/** A model normalized but not validated: what validation refuses can still reach lint from a pulled database. */
function unvalidated(tables: TableDefinition[]): Database {
  return normalizeDatabase("test_db", database({ name: "TEST_DB" }), tables);
}

describe("schema rules", () => {
  it("table-without-primary-key", () => {
    const logs = table("logs", { message: text() });
    expect(rulesOf(schemaLint(modelOf([logs])), "table-without-primary-key")).toMatchObject([{ severity: "warning", database: "TEST_DB", table: "logs" }]);
    expect(rulesOf(schemaLint(modelOf([teams])), "table-without-primary-key")).toEqual([]);
  });

  it("foreign-key-without-index: fires without an index led by the key's columns; a composite index led by them counts", () => {
    const [unindexed] = rulesOf(schemaLint(modelOf([teams, members({ indexed: false })])), "foreign-key-without-index");
    expect(unindexed).toMatchObject({ table: "members", column: "team_id", fix: 'add index("idx_members_team_id").on("team_id")' });
    expect(unindexed.message).toMatch(/every delete or key update in teams scans members/);
    expect(rulesOf(schemaLint(modelOf([teams, members()])), "foreign-key-without-index")).toEqual([]);
    const ledByComposite = table(
      "members",
      { id: integer().primaryKey(), team_id: text().references("teams", "id"), email: text() },
      { indexes: [index("idx_members_team_email").on("team_id", "email")] },
    );
    expect(rulesOf(schemaLint(modelOf([teams, ledByComposite])), "foreign-key-without-index")).toEqual([]);
    const trailing = table(
      "members",
      { id: integer().primaryKey(), team_id: text().references("teams", "id"), email: text() },
      { indexes: [index("idx_members_email_team").on("email", "team_id")] },
    );
    expect(rulesOf(schemaLint(modelOf([teams, trailing])), "foreign-key-without-index")).toHaveLength(1);
  });

  it("foreign-key-to-non-unique: an error (validation accepts the table, as SQLite does), silent on a key", () => {
    const parent = table("teams", { id: text().primaryKey(), slug: text() });
    const child = table(
      "members",
      { id: integer().primaryKey(), team_slug: text().references("teams", "slug") },
      { indexes: [index("idx_m").on("team_slug")] },
    );
    const model = unvalidated([parent, child]);
    expect(validateDatabase(model)).toEqual([]);
    const found = rulesOf(schemaLint(model), "foreign-key-to-non-unique");
    expect(found).toMatchObject([{ severity: "error", table: "members", column: "team_slug" }]);
    expect(found[0].message).toMatch(/references teams\(slug\), which is neither its primary key nor UNIQUE/);
    expect(rulesOf(schemaLint(modelOf([teams, members()])), "foreign-key-to-non-unique")).toEqual([]);
  });

  it("index-prefix-of-another: a non-unique index that begins another; not a unique one, a partial one or a different order", () => {
    const events = (indexes: ReturnType<typeof index>[]) =>
      table("events", { id: integer().primaryKey(), org: text(), day: text(), kind: text() }, { indexes });
    const prefix = schemaLint(modelOf([events([index("idx_org").on("org"), index("idx_org_day").on("org", "day")])]));
    expect(rulesOf(prefix, "index-prefix-of-another")).toMatchObject([{ table: "events", fix: "remove index idx_org from the table's indexes" }]);
    const duplicate = schemaLint(modelOf([events([index("idx_a").on("org", "day"), index("idx_b").on("org", "day")])]));
    expect(rulesOf(duplicate, "index-prefix-of-another").map((item) => item.message)).toEqual([
      expect.stringMatching(/^index idx_b \(org, day\) is a prefix of idx_a/),
    ]);
    const fine = [
      [uniqueIndex("idx_org").on("org"), index("idx_org_day").on("org", "day")],
      [index("idx_org").on("org").where("kind = 'x'"), index("idx_org_day").on("org", "day")],
      [index("idx_day").on("day"), index("idx_org_day").on("org", "day")],
    ];
    for (const indexes of fine) expect(rulesOf(schemaLint(modelOf([events(indexes)])), "index-prefix-of-another")).toEqual([]);
  });

  it("too-many-columns: an error past D1's 100 (validation refuses it too), silent at 100", () => {
    const wide = (count: number) =>
      table("wide", Object.fromEntries([["id", integer().primaryKey()], ...Array.from({ length: count - 1 }, (_, n) => [`c${n}`, text()])]));
    expect(rulesOf(schemaLint(unvalidated([wide(101)])), "too-many-columns")).toMatchObject([{ severity: "error", table: "wide" }]);
    expect(rulesOf(schemaLint(modelOf([wide(100)])), "too-many-columns")).toEqual([]);
  });

  it("keyword-identifier: tables, columns and indexes named like SQLite keywords", () => {
    const order = table("order", { id: integer().primaryKey(), key: text() }, { indexes: [index("idx_key").on("key")] });
    expect(rulesOf(schemaLint(modelOf([order])), "keyword-identifier").map((item) => [item.table, item.column])).toEqual([
      ["order", undefined],
      ["order", "key"],
    ]);
    expect(rulesOf(schemaLint(modelOf([teams])), "keyword-identifier")).toEqual([]);
  });

  it("table-in-two-databases: a name two databases define differently; not one definition shared on purpose", () => {
    const history = (extra: boolean) => table("cac_history", { id: text().primaryKey(), cac_cents: integer(), ...(extra ? { per_source: text() } : {}) });
    const ai = modelOf([history(false)], { name: "AI_DB" });
    const analytics = modelOf([history(true)], { name: "ANALYTICS_DB" });
    expect(rulesOf(schemaLint(ai, analytics), "table-in-two-databases").map((item) => `${item.database}: ${item.message}`)).toEqual([
      expect.stringMatching(/^AI_DB: is also defined, differently, in ANALYTICS_DB/),
      expect.stringMatching(/^ANALYTICS_DB: is also defined, differently, in AI_DB/),
    ]);
    const shard = modelOf([history(true).with({ description: "the shard's copy" })], { name: "SHARD" });
    expect(rulesOf(schemaLint(analytics, shard), "table-in-two-databases")).toEqual([]);
  });
});

describe("rules on the pending migration", () => {
  it("destructive-change: dropping a column; not adding one", () => {
    const from = modelOf([teams, members()]);
    const dropped = modelOf([
      teams,
      table(
        "members",
        { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }) },
        { indexes: [index("idx_members_team").on("team_id")] },
      ),
    ]);
    expect(rulesOf(pendingLint(from, dropped), "destructive-change").map((item) => item.message)).toEqual([expect.stringMatching(/members\.email/)]);
    const added = modelOf([table("teams", { id: text().primaryKey(), name: text().notNull(), slug: text() }), members()]);
    expect(rulesOf(pendingLint(from, added), "destructive-change")).toEqual([]);
  });

  it("rebuild: names the rebuilt and carried tables with the rows it copies, and warns past the estimate", () => {
    const from = modelOf([teams, members()]);
    const rebuilt = modelOf([table("teams", { id: text().primaryKey(), name: text().notNull().default("") }), members()]);
    const seed = "INSERT INTO teams VALUES ('t1', 'a'), ('t2', 'b'); INSERT INTO members (team_id) VALUES ('t1'), ('t1'), ('t2')";
    const [found] = rulesOf(pendingLint(from, rebuilt, seed), "rebuild");
    expect(found.message).toBe(
      "the next migration rebuilds teams and carries the rows of members, which reference it. It copies 5 rows in TEST_DB (twice: out and back).",
    );
    expect(found.message).not.toMatch(/30-second/);
    const many = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i <= ${rebuildRowsWarning}) INSERT INTO teams SELECT 't' || i, 'x' FROM n`;
    expect(rulesOf(pendingLint(from, rebuilt, many), "rebuild")[0].message).toMatch(/may exceed D1's 30-second request limit/);
    expect(
      rulesOf(pendingLint(from, modelOf([table("teams", { id: text().primaryKey(), name: text().notNull(), slug: text() }), members()])), "rebuild"),
    ).toEqual([]);
  });

  it("deprecated-table-written: a change to a deprecated table; not its drop", () => {
    const legacy = (columns: Record<string, ReturnType<typeof text>>) =>
      table("legacy", { id: text().primaryKey(), ...columns }, { deprecated: "replaced by teams" });
    const from = modelOf([legacy({})]);
    expect(rulesOf(pendingLint(from, modelOf([legacy({ note: text() })])), "deprecated-table-written")).toMatchObject([{ table: "legacy" }]);
    expect(rulesOf(pendingLint(from, modelOf([teams])), "deprecated-table-written")).toEqual([]);
  });

  it("unique-over-duplicates: a UNIQUE index over repeated keys in the local database; NULLs never collide", () => {
    const from = modelOf([teams, members()]);
    const withUnique = modelOf([
      teams,
      table(
        "members",
        { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text() },
        { indexes: [index("idx_members_team").on("team_id"), uniqueIndex("idx_members_email").on("email")] },
      ),
    ]);
    const repeated = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x'), ('t', 'a@x'), ('t', NULL), ('t', NULL)";
    expect(rulesOf(pendingLint(from, withUnique, repeated), "unique-over-duplicates")).toMatchObject([
      { severity: "error", table: "members", message: expect.stringMatching(/has 1 key that repeat/) as string },
    ]);
    const distinct = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x'), ('t', 'b@x'), ('t', NULL), ('t', NULL)";
    expect(rulesOf(pendingLint(from, withUnique, distinct), "unique-over-duplicates")).toEqual([]);
  });

  it("unique-over-duplicates: a column's .unique() and a table's unique: [...] over repeated keys, renamed columns read by their old names", () => {
    const from = modelOf([teams, members()]);
    const withUnique = (email: ColumnBuilder, options: { unique?: ("team_id" | "email")[][] } = {}) =>
      modelOf([
        teams,
        table(
          "members",
          { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email },
          { indexes: [index("idx_members_team").on("team_id")], ...options },
        ),
      ]);
    const repeated = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x'), ('t', 'a@x'), ('t', NULL), ('t', NULL)";
    expect(rulesOf(pendingLint(from, withUnique(text().notNull().unique()), repeated), "unique-over-duplicates")).toMatchObject([
      {
        severity: "error",
        table: "members",
        message: expect.stringMatching(/^UNIQUE \(email\) is added, but TEST_DB's local members has 1 key that repeat/) as string,
      },
    ]);
    expect(rulesOf(pendingLint(from, withUnique(text().notNull(), { unique: [["team_id", "email"]] }), repeated), "unique-over-duplicates")).toMatchObject([
      { table: "members", message: expect.stringMatching(/^UNIQUE \(team_id, email\) is added/) as string },
    ]);
    const renamed = modelOf([
      teams,
      table(
        "members",
        {
          id: integer().primaryKey(),
          team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }),
          mail: text().unique().renamedFrom("email"),
        },
        { indexes: [index("idx_members_team").on("team_id")] },
      ),
    ]);
    expect(rulesOf(pendingLint(from, renamed, repeated), "unique-over-duplicates")).toMatchObject([
      { message: expect.stringMatching(/^UNIQUE \(mail\) is added/) as string },
    ]);
    const distinct = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x'), ('t', 'b@x'), ('t', NULL), ('t', NULL)";
    expect(rulesOf(pendingLint(from, withUnique(text().unique()), distinct), "unique-over-duplicates")).toEqual([]);
  });

  it("not-null-over-nulls: NOT NULL without a default over NULLs in the local database", () => {
    const from = modelOf([teams, members()]);
    const tightened = modelOf([
      teams,
      table(
        "members",
        { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text().notNull() },
        { indexes: [index("idx_members_team").on("team_id")] },
      ),
    ]);
    const nulls = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', NULL), ('t', NULL), ('t', 'a@x')";
    expect(rulesOf(pendingLint(from, tightened, nulls), "not-null-over-nulls")).toMatchObject([
      { severity: "error", column: "email", message: expect.stringMatching(/2 rows of TEST_DB's local members hold NULL/) as string },
    ]);
    expect(
      rulesOf(
        pendingLint(from, tightened, "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x')"),
        "not-null-over-nulls",
      ),
    ).toEqual([]);
  });

  it("not-null-over-nulls: a new NOT NULL column over rows, and nothing once a backfill says how to fill them", () => {
    const from = modelOf([teams, members()]);
    const membersWith = (extra: Record<string, ColumnBuilder>) =>
      table(
        "members",
        { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text(), ...extra },
        { indexes: [index("idx_members_team").on("team_id")] },
      );
    const rows = "INSERT INTO teams VALUES ('t', 'a'); INSERT INTO members (team_id, email) VALUES ('t', 'a@x'), ('t', NULL)";
    expect(rulesOf(pendingLint(from, modelOf([teams, membersWith({ role: text().notNull() })]), rows), "not-null-over-nulls")).toMatchObject([
      { severity: "error", column: "role", message: expect.stringMatching(/2 rows of TEST_DB's local members have no value for it/) as string },
    ]);
    expect(rulesOf(pendingLint(from, modelOf([teams, membersWith({ role: text().notNull().backfill("'member'") })]), rows), "not-null-over-nulls")).toEqual([]);
    const backfilledEmail = modelOf([teams, membersWith({ email: text().notNull().backfill("'unknown@example.com'") })]);
    expect(rulesOf(pendingLint(from, backfilledEmail, rows), "not-null-over-nulls")).toEqual([]);
  });
});

describe("not-null-set-null", () => {
  it("names a NOT NULL column whose foreign key writes NULL on delete or update, and nothing else", () => {
    const users = table("users", { id: text().primaryKey() });
    const posts = (author: ColumnBuilder) =>
      table("posts", { id: integer().primaryKey(), author_id: author }, { indexes: [index("idx_posts_author").on("author_id")] });
    const findingsOf = (author: ColumnBuilder) => rulesOf(runLintRules([modelOf([users, posts(author)])]).findings, "not-null-set-null");
    expect(findingsOf(text().notNull().references("users", "id", { onDelete: "set null" }))).toMatchObject([
      {
        severity: "warning",
        table: "posts",
        column: "author_id",
        message: "is NOT NULL but its foreign key to users(id) is ON DELETE SET NULL: every delete of a referenced users row fails",
      },
    ]);
    expect(findingsOf(text().notNull().references("users", "id", { onUpdate: "set default" })).map((item) => item.message)).toEqual([
      "is NOT NULL but its foreign key to users(id) is ON UPDATE SET DEFAULT with no default: every update of a referenced users row fails",
    ]);
    expect(findingsOf(text().references("users", "id", { onDelete: "set null" }))).toEqual([]);
    expect(findingsOf(text().notNull().default("ghost").references("users", "id", { onDelete: "set default" }))).toEqual([]);
    expect(findingsOf(text().notNull().references("users", "id", { onDelete: "cascade" }))).toEqual([]);
  });
});

describe("the silencer", () => {
  it("hides a rule's findings for its table, keeping the reason", () => {
    const result = runLintRules([modelOf([teams, members({ indexed: false, lint: { "foreign-key-without-index": "teams are never deleted" } })])]);
    expect(rulesOf(result.findings, "foreign-key-without-index")).toEqual([]);
    expect(result.silenced).toMatchObject([{ kind: "foreign-key-without-index", table: "members", reason: "teams are never deleted" }]);
  });

  it("is a schema error without a reason, or for a rule that does not exist", () => {
    expect(() => modelOf([teams, members({ lint: { "foreign-key-without-index": " " } })])).toThrow(
      /TEST_DB\.members: silences lint rule foreign-key-without-index without a reason[\s\S]*lint: \{ "foreign-key-without-index": "the reason" \}/,
    );
    expect(() => modelOf([teams, members({ lint: { "no-such-rule": "because" } })])).toThrow(/silences lint rule "no-such-rule", which does not exist/);
  });

  it("covers every rule in the list with a severity", () => {
    expect(Object.entries(lintRules).map(([id, rule]) => `${id} ${rule.severity}`)).toEqual([
      "table-without-primary-key warning",
      "foreign-key-without-index warning",
      "foreign-key-to-non-unique error",
      "foreign-key-to-missing-table error",
      "not-null-set-null warning",
      "index-prefix-of-another warning",
      "too-many-columns error",
      "keyword-identifier warning",
      "table-in-two-databases warning",
      "destructive-change warning",
      "rebuild warning",
      "deprecated-table-written warning",
      "unique-over-duplicates error",
      "not-null-over-nulls error",
    ]);
  });
});
