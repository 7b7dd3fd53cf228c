// `view(name, select)`, `trigger(name, definition)` and `virtualTable(name, using)`: the schema objects beside tables. SQLite keeps their SQL as
// text (sqlite_schema.sql) and holds no rows in them, so a migration that changes one drops and creates it again.
// What is written is kept as written: the squash and a migration create `CREATE VIEW name AS <select>` and
// `CREATE TRIGGER name <definition>`.

export interface ViewOptions {
  /** Column names for the view's result (`CREATE VIEW name(a, b) AS …`); without them the SELECT's names are used. */
  columns?: string[];
  description?: string;
}

export interface ViewSpec {
  readonly name: string;
  /** The SELECT statement (WITH … SELECT, VALUES) without a closing `;`. */
  readonly select: string;
  readonly options: ViewOptions;
}

export class ViewDefinition {
  readonly kind = "view" as const;

  constructor(readonly spec: ViewSpec) {}
}

/** `view("active_users", "SELECT id, email FROM users WHERE deleted_at IS NULL")`. */
export function view(name: string, select: string, options: ViewOptions = {}): ViewDefinition {
  return new ViewDefinition({ name, select, options });
}

export type TriggerTiming = "BEFORE" | "AFTER" | "INSTEAD OF";
export type TriggerEvent = "INSERT" | "UPDATE" | "DELETE" | `UPDATE OF ${string}`;

/** A trigger written in parts; `trigger(name, definition)` takes the same as one text. */
export interface TriggerParts {
  /** The table (or, with INSTEAD OF, the view) the trigger is on. */
  on: string;
  timing: TriggerTiming;
  event: TriggerEvent;
  /** `WHEN` condition over NEW and OLD. */
  when?: string;
  /** The statements between BEGIN and END, each ending with `;`. */
  body: string;
  description?: string;
}

export interface TriggerSpec {
  readonly name: string;
  /** Everything after the name: `AFTER UPDATE ON users FOR EACH ROW BEGIN …; END`. */
  readonly definition: string;
  readonly options: { description?: string };
}

export class TriggerDefinition {
  readonly kind = "trigger" as const;

  constructor(readonly spec: TriggerSpec) {}
}

/**
 * `trigger("users_touch", "AFTER UPDATE ON users FOR EACH ROW BEGIN UPDATE users SET … WHERE id = NEW.id; END")`, or
 * `trigger("users_touch", { on: "users", timing: "AFTER", event: "UPDATE", body: "UPDATE users SET … WHERE id = NEW.id;" })`.
 */
export function trigger(name: string, definition: string | TriggerParts, options: { description?: string } = {}): TriggerDefinition {
  if (typeof definition === "string") return new TriggerDefinition({ name, definition, options });
  const body = definition.body.trim();
  const text = `${definition.timing} ${definition.event} ON ${definition.on} FOR EACH ROW${definition.when === undefined ? "" : ` WHEN ${definition.when.trim()}`} BEGIN ${body.endsWith(";") ? body : `${body};`} END`;
  return new TriggerDefinition({ name, definition: text, options: { description: definition.description ?? options.description } });
}

export interface VirtualTableSpec {
  readonly name: string;
  /** The module and its arguments: `fts5(title, body, content='docs', content_rowid='id')`. */
  readonly using: string;
  readonly options: { description?: string };
}

export class VirtualTableDefinition {
  readonly kind = "virtualTable" as const;

  constructor(readonly spec: VirtualTableSpec) {}
}

/**
 * `virtualTable("docs_fts", "fts5(title, body, content='docs', content_rowid='id')")`: `CREATE VIRTUAL TABLE docs_fts
 * USING fts5(…)`. D1 runs the FTS5 module.
 */
export function virtualTable(name: string, using: string, options: { description?: string } = {}): VirtualTableDefinition {
  return new VirtualTableDefinition({ name, using, options });
}
