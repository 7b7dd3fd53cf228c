// A new migration is proved on the tables it touches when the snapshot vouches for itself
// (generator/pipeline/touched-proof.ts); the whole replay stays the proof otherwise. These hold the shortcut to
// the whole proof's verdicts: it vouches for the ordinary changes (so generate takes it), it never vouches for a
// migration that does not give the new schema, and a snapshot edited by hand no longer vouches for itself.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integer, table, text, index } from "../../generator/dsl/index.js";
import { parseSnapshot, renderSnapshot, snapshotVouches } from "../../generator/model/snapshot.js";
import { provenOnTouchedTables } from "../../generator/pipeline/touched-proof.js";
import { sameStatementsAsSquash } from "../../generator/sqlite/schema-script.js";
import { choiceStream, evolve, genSchema, modelOfSchema } from "../helpers/arbitraries.js";
import { applyLikeD1, databaseFromScratch, History, modelOf, openMemoryDatabase, shapeOf } from "../helpers/evolve.js";

const organizations = (extra = {}) => table("organizations", { id: text().primaryKey(), name: text().notNull(), ...extra });
const users = table("users", { id: text().primaryKey(), organization_id: text().references("organizations", "id", { onDelete: "cascade" }) });
const sessions = table("sessions", { id: text().primaryKey(), user_id: text().references("users", "id", { onDelete: "set null" }) });
const unrelated = Array.from({ length: 30 }, (_, n) => table(`other_${n}`, { id: integer().primaryKey(), note: text() }));

/** Generates `before` then `after`; returns what the shortcut says of the second migration. */
function shortcutVerdict(before: Parameters<typeof modelOf>[0], after: Parameters<typeof modelOf>[0], tamper = (sql: string) => sql): boolean {
  const history = new History();
  const first = history.step(modelOf(before));
  const previous = parseSnapshot(first.snapshot, first.database.name);
  expect(snapshotVouches(previous)).toBe(true);
  const next = history.step(modelOf(after));
  if (!next.migration) throw new Error("expected a migration");
  return provenOnTouchedTables(previous.database, next.database, { ...next.migration, sql: tamper(next.migration.sql) }, next.changes);
}

describe("the proof on touched tables", () => {
  const base = [organizations(), users, sessions, ...unrelated];

  it("vouches for an added column, a rebuild carrying children, a renamed parent, new and dropped tables", () => {
    expect(shortcutVerdict(base, [organizations({ tier: text() }), users, sessions, ...unrelated])).toBe(true);
    expect(shortcutVerdict(base, [organizations({ name: text().notNull().unique() }), users, sessions, ...unrelated])).toBe(true);
    const renamed = table("orgs", { id: text().primaryKey(), name: text().notNull() }, { renamedFrom: "organizations" });
    const usersOfOrgs = table("users", { id: text().primaryKey(), organization_id: text().references("orgs", "id", { onDelete: "cascade" }) });
    expect(shortcutVerdict(base, [renamed, usersOfOrgs, sessions, ...unrelated])).toBe(true);
    const audit = table("audit", { id: integer().primaryKey(), user_id: text().references("users") }, { indexes: [index("idx_audit_user").on("user_id")] });
    expect(shortcutVerdict(base, [...base, audit])).toBe(true);
    expect(shortcutVerdict(base, [organizations(), users, ...unrelated])).toBe(true);
  });

  it("does not vouch for a migration that leaves a different schema, or fails", () => {
    const after = [organizations({ tier: text() }), users, sessions, ...unrelated];
    expect(shortcutVerdict(base, after)).toBe(true);
    expect(shortcutVerdict(base, after, (sql) => sql.replace("ADD COLUMN tier TEXT", "ADD COLUMN tier INTEGER"))).toBe(false);
    expect(shortcutVerdict(base, after, (sql) => `${sql}\nDROP TABLE other_3;`)).toBe(false);
    expect(shortcutVerdict(base, after, (sql) => `${sql}\nCREATE TABLE stray (x);`)).toBe(false);
    expect(shortcutVerdict(base, after, (sql) => `${sql}\nSELECT * FROM no_such_table;`)).toBe(false);
  });

  it("leaves a snapshot whose content was edited to the whole replay", () => {
    const history = new History();
    const first = history.step(modelOf(base));
    const edited = first.snapshot.replace('"name": "note"', '"name": "memo"');
    expect(edited).not.toBe(first.snapshot);
    expect(snapshotVouches(parseSnapshot(edited, first.database.name))).toBe(false);
    expect(snapshotVouches(parseSnapshot(first.snapshot, first.database.name))).toBe(true);
  });

  it("vouches by the h2 digest of the database as written, and reads the file back to the same text", () => {
    const history = new History();
    const written = history.step(modelOf(base)).snapshot;
    expect(written).toMatch(/\n {2}"databaseHash": "h2:[\w-]{43}",\n/);
    const read = parseSnapshot(written, "TEST_DB");
    expect(renderSnapshot(read)).toBe(written);
    // A copy is not the object read from the file: its digest is computed again, with the same verdict.
    expect(snapshotVouches(structuredClone(read))).toBe(true);
    // Fields around the database keep their written form, or the file goes through the schema check (which refuses it).
    expect(() => parseSnapshot(written.replace('"version": 2', '"version": "2"'), "TEST_DB")).toThrow(/unreadable snapshot/);
    expect(
      snapshotVouches(parseSnapshot(written.replace('"databaseHash": "h2:', '"databaseHash": "h2:x').replace(/(h2:x[\w-]{42})[\w-]/, "$1"), "TEST_DB")),
    ).toBe(false);
  });

  it("still vouches for ClearLift's committed snapshots, written with h1 digests", () => {
    for (const folder of ["db", "ai_db", "analytics_db", "shard"]) {
      const text = readFileSync(path.join(import.meta.dirname, "../../migrations", folder, "snapshot.json"), "utf8");
      const snapshot = parseSnapshot(text, folder);
      expect(snapshot.version === 2 && snapshot.databaseHash?.slice(0, 3)).toMatch(/^h[12]:/);
      expect(snapshotVouches(snapshot)).toBe(true);
      expect(snapshotVouches(parseSnapshot(text.replace(/"type": "TEXT"/, '"type": "BLOB"'), folder))).toBe(false);
    }
  });
});

describe("the proof on touched tables, on random evolutions", () => {
  it("vouches for most generated migrations, and only for ones whose replay from nothing gives the new schema", () => {
    let migrations = 0;
    let vouched = 0;
    fc.assert(
      fc.property(choiceStream(400), fc.array(choiceStream(400), { minLength: 1, maxLength: 3 }), (schemaChoices, steps) => {
        const history = new History();
        let schema = genSchema(schemaChoices);
        history.step(modelOfSchema(schema, { prove: false }));
        for (const stepChoices of steps) {
          const previous = parseSnapshot(history.last!.snapshot, history.last!.database.name);
          schema = evolve(schema, stepChoices).next;
          let generation;
          try {
            generation = history.step(modelOfSchema(schema, { prove: false }));
          } catch {
            return; // refused evolutions are the property tests' business
          }
          if (!generation.migration) continue;
          migrations++;
          if (!provenOnTouchedTables(previous.database, generation.database, generation.migration, generation.changes)) continue;
          vouched++;
          // Independently: every migration so far, replayed from nothing, gives the new schema built from nothing.
          const replayed = openMemoryDatabase();
          for (const migration of history.migrations) applyLikeD1(replayed, migration.sql);
          expect(shapeOf(replayed)).toEqual(shapeOf(databaseFromScratch(generation.database)));
        }
      }),
      { numRuns: 40 },
    );
    expect(migrations).toBeGreaterThan(20);
    expect(vouched / migrations).toBeGreaterThan(0.8);
  }, 300_000);
});

describe("the first migration of a database", () => {
  it("runs the squash's own statements, so its proof needs no second build of every table", () => {
    const first = new History().step(modelOf([organizations(), users, sessions, ...unrelated]));
    expect(sameStatementsAsSquash(first.migration!.sql, first.fresh!)).toBe(true);
    expect(sameStatementsAsSquash(first.migration!.sql.replace("CREATE TABLE IF NOT EXISTS other_3", "CREATE TABLE IF NOT EXISTS other_x"), first.fresh!)).toBe(
      false,
    );
    expect(sameStatementsAsSquash(`${first.migration!.sql}\nDROP TABLE other_3;`, first.fresh!)).toBe(false);
  });
});
