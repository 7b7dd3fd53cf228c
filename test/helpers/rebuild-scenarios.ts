// Rebuild scenarios shared by the SQLite tests and the local D1 tests: a parent with children and grandchildren
// under every ON DELETE action, and a self-referencing tree. Each is rebuilt by a change SQLite cannot make in
// place, and every row of every table must survive it unchanged.
import { integer, table, text, type ActionName, type TableDefinition } from "../../generator/dsl/index.js";

export interface RebuildScenario {
  name: string;
  before: TableDefinition[];
  after: TableDefinition[];
  /** INSERT statements that fill `before`. */
  seed: string;
  /** The tables whose rows must be identical after the migration. */
  tables: string[];
}

export const onDeleteActions: ActionName[] = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"];

/** A short, table-name-safe tag for an action: CASCADE → cascade, SET NULL → set_null. */
export const actionTag = (action: ActionName) => action.toLowerCase().replace(" ", "_");

/**
 * parent ← child ← grandchild, every link with `action`. The parent gains a column whose default is an
 * expression, which ALTER TABLE cannot add, so the parent is rebuilt under its children's rows.
 */
export function familyScenario(action: ActionName, prefix = ""): RebuildScenario {
  const tag = `${prefix}${actionTag(action)}`;
  const parentName = `${tag}_parent`;
  const childName = `${tag}_child`;
  const grandchildName = `${tag}_grandchild`;
  const parent = (withCreatedAt: boolean) =>
    table(parentName, {
      id: text().primaryKey(),
      name: text().notNull(),
      ...(withCreatedAt ? { created_at: text().defaultSql("datetime('now')") } : {}),
    });
  const child = table(childName, { id: integer().primaryKey(), parent_id: text().references(parentName, "id", { onDelete: action }), label: text() });
  const grandchild = table(grandchildName, { id: integer().primaryKey(), child_id: integer().references(childName, "id", { onDelete: action }), note: text() });
  return {
    name: `${action} parent ← child ← grandchild`,
    before: [parent(false), child, grandchild],
    after: [parent(true), child, grandchild],
    seed: [
      `INSERT INTO ${parentName} (id, name) VALUES ('p1', 'one'), ('p2', 'two');`,
      `INSERT INTO ${childName} (id, parent_id, label) VALUES (1, 'p1', 'a'), (2, 'p1', 'b'), (3, 'p2', 'c'), (4, NULL, 'orphan');`,
      `INSERT INTO ${grandchildName} (id, child_id, note) VALUES (10, 1, 'x'), (11, 2, 'y'), (12, 3, 'z'), (13, NULL, 'loose');`,
    ].join("\n"),
    tables: [parentName, childName, grandchildName],
  };
}

/** A tree whose rows reference each other; its type change forces a rebuild of the table that is its own parent. */
export function selfReferenceScenario(action: ActionName, prefix = ""): RebuildScenario {
  const name = `${prefix}${actionTag(action)}_tree`;
  const tree = (scoreType: "integer" | "text") =>
    table(name, {
      id: integer().primaryKey(),
      parent_id: integer().references(name, "id", { onDelete: action }),
      score: scoreType === "integer" ? integer() : text(),
    });
  return {
    name: `${action} self-reference`,
    before: [tree("integer")],
    after: [tree("text")],
    seed: `INSERT INTO ${name} (id, parent_id, score) VALUES (1, NULL, 10), (2, 1, 20), (3, 2, 30), (4, 1, 40), (5, 4, 50);`,
    tables: [name],
  };
}

/** Every scenario, with distinct table names so that they can share one database. */
export function allRebuildScenarios(): RebuildScenario[] {
  return onDeleteActions.flatMap((action) => [familyScenario(action), selfReferenceScenario(action)]);
}
