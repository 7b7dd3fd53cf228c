// The planner's output: primitive, ordered operations, each one SQL statement. A rebuild is spelled out as
// backup / empty / drop / create / copy steps so that tests and reviewers can see exactly how rows move.
import type { Column, Index, Table, Trigger, View, VirtualTable } from "../model/model.js";
import type { Loss } from "./losses.js";

/** One column filled by a copy: the target column and the SQL expression read from the source table. */
export interface CopiedColumn {
  column: string;
  expression: string;
}

export type Step =
  /** Foreign key violations wait for the end of the migration's transaction instead of failing mid-rebuild. */
  | { kind: "deferForeignKeys" }
  | { kind: "createTable"; table: Table; ifNotExists: boolean }
  | { kind: "dropTable"; table: string }
  | { kind: "renameTable"; from: string; to: string }
  | { kind: "addColumn"; table: Table; column: Column }
  | { kind: "dropColumn"; table: string; column: string }
  | { kind: "renameColumn"; table: string; from: string; to: string }
  | { kind: "createIndex"; table: Table; index: Index; ifNotExists: boolean }
  | { kind: "dropIndex"; index: string }
  /** A copy of every row (and the rowid where rows have a hidden one) kept until the rebuild is done. */
  /** `rowid`: the name that reads the hidden rowid in this table (rowid, _rowid_ or oid: one no column shadows). */
  | { kind: "backupTable"; table: string; backup: string; rowid?: string }
  | { kind: "deleteRows"; table: string }
  /**
   * `orAbort`: the table has an ON CONFLICT clause (IGNORE or REPLACE would drop or overwrite a copied row without a
   * word); `INSERT OR ABORT` makes any conflict fail the copy, as a table without one does.
   */
  | { kind: "copyRows"; into: string; from: string; columns: CopiedColumn[]; rowid?: string; orAbort?: true }
  /**
   * AUTOINCREMENT promises never to reuse an id. Dropping a table forgets its counter in sqlite_sequence, so a
   * rebuild saves the counters first and puts them back after the rows are copied.
   */
  | { kind: "backupSequences"; tables: string[]; backup: string }
  | { kind: "forgetSequences"; tables: string[] }
  | { kind: "restoreSequences"; backup: string }
  /** Views and triggers hold no rows: a migration drops them first and creates them last (plan/objects.ts). */
  | { kind: "createView"; view: View; ifNotExists: boolean }
  | { kind: "dropView"; view: string }
  | { kind: "createTrigger"; trigger: Trigger; ifNotExists: boolean }
  | { kind: "dropTrigger"; trigger: string }
  | { kind: "createVirtualTable"; table: VirtualTable; ifNotExists: boolean }
  | { kind: "dropVirtualTable"; table: string }
  /** An external-content FTS5 table's index built again from its content table's rows. */
  | { kind: "rebuildFtsIndex"; table: string };

export type StepKind = Step["kind"];

/** Steps with a comment that says why they are there, rendered as one commented group. */
export interface StepGroup {
  comment: string;
  steps: Step[];
}

/** The tables a migration's rebuild copies, parent first. */
export interface RebuiltTables {
  /** Recreated under their new definitions. */
  rebuilt: string[];
  /** Kept as they are, their rows carried through the rebuild because they reference a rebuilt table. */
  carried: string[];
}

/** A migration plan: groups in order, what it destroys (refused unless allowed) and what its rebuild copies. */
export interface MigrationPlan {
  groups: StepGroup[];
  losses: Loss[];
  /** Undefined when every change is made in place. */
  rebuild?: RebuiltTables;
}

/** The tables a step names (both names of a rename; a new index's table); none for a dropped index, views and triggers. */
export function tablesOfStep(step: Step): string[] {
  switch (step.kind) {
    case "createTable":
    case "addColumn":
    case "createIndex":
      return [step.table.name];
    case "dropTable":
    case "dropVirtualTable":
    case "dropColumn":
    case "renameColumn":
    case "backupTable":
    case "deleteRows":
      return [step.table];
    case "renameTable":
      return [step.from, step.to];
    case "copyRows":
      return [step.into, step.from];
    case "backupSequences":
    case "forgetSequences":
      return step.tables;
    case "deferForeignKeys":
    case "dropIndex":
    case "restoreSequences":
    case "createView":
    case "dropView":
    case "createTrigger":
    case "dropTrigger":
    case "createVirtualTable":
    case "rebuildFtsIndex":
      return [];
    default: {
      const unknown: never = step;
      throw new Error(`unknown step ${JSON.stringify(unknown)}`);
    }
  }
}
