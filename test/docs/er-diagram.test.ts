// The Mermaid ER diagram of one schema file, on tiny schemas whose diagrams are written out by hand: key markers,
// the cardinality of each kind of foreign key, stubs for tables of other files, and text Mermaid would misread.
import { describe, expect, it } from "vitest";
import { expr, integer, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import { renderErDiagram } from "../../generator/docs/er-diagram.js";
import { SchemaError } from "../../generator/model/errors.js";
import { modelOf } from "../helpers/evolve.js";

/** The fenced block the renderer returns around these lines. */
function mermaid(...lines: string[]): string {
  return ["```mermaid", "erDiagram", ...lines, "```", ""].join("\n");
}

describe("attributes", () => {
  it("marks primary, foreign and single-column unique keys, and only those", () => {
    const accounts = table(
      "accounts",
      { id: integer().primaryKey(), email: text().notNull().unique(), handle: text(), phone: text(), region: text(), code: text(), slug: text() },
      {
        unique: [["region", "code"]],
        indexes: [
          uniqueIndex("ux_accounts_handle").on("handle"),
          uniqueIndex("ux_accounts_phone").on("phone").where("phone IS NOT NULL"),
          uniqueIndex("ux_accounts_slug").on(expr("lower(slug)")),
        ],
      },
    );
    const memberships = table(
      "memberships",
      { account_id: integer().notNull().references("accounts"), team: text().notNull() },
      { primaryKey: ["account_id", "team"] },
    );
    const model = modelOf([accounts, memberships]);

    // phone's unique index is partial, (region, code) is composite and slug's index is on an expression: no UK.
    expect(renderErDiagram(model, ["accounts", "memberships"])).toBe(
      mermaid(
        "  accounts {",
        "    INTEGER id PK",
        "    TEXT email UK",
        "    TEXT handle UK",
        "    TEXT phone",
        "    TEXT region",
        "    TEXT code",
        "    TEXT slug",
        "  }",
        "  memberships {",
        "    INTEGER account_id PK, FK",
        "    TEXT team PK",
        "  }",
        '  accounts ||--o{ memberships : "account_id"',
      ),
    );
  });

  it("marks a deprecated table in its label and deprecated columns in their comments", () => {
    const legacy = table(
      "legacy_events",
      {
        id: integer().primaryKey(),
        source: text().deprecated("always web"),
        note: text().describe("Free text.").deprecated("use payload"),
      },
      { deprecated: "replaced by events" },
    );

    expect(renderErDiagram(modelOf([legacy]), ["legacy_events"])).toBe(
      mermaid(
        '  legacy_events["legacy_events (deprecated)"] {',
        "    INTEGER id PK",
        '    TEXT source "deprecated: always web"',
        '    TEXT note "deprecated: use payload; Free text."',
        "  }",
      ),
    );
  });

  it("writes a double quote in a description as an entity, so the comment does not end early", () => {
    const events = table("events", { id: integer().primaryKey(), payload: text().describe('JSON such as {"kind": "click"}') });

    expect(renderErDiagram(modelOf([events]), ["events"])).toBe(
      mermaid("  events {", "    INTEGER id PK", '    TEXT payload "JSON such as {&quot;kind&quot;: &quot;click&quot;}"', "  }"),
    );
  });

  it("escapes what Mermaid reads as HTML, Markdown or its own syntax, and renames a column called pk", () => {
    const notes = table("notes", {
      id: integer().primaryKey(),
      pk: text().describe("Array<string> of *tags*, _x_ or a_b,\n  #1; ~5~ & 100%%"),
    });

    expect(renderErDiagram(modelOf([notes]), ["notes"])).toBe(
      mermaid(
        "  notes {",
        "    INTEGER id PK",
        '    TEXT pk_ "column pk; Array&lt;string&gt; of &ast;tags&ast;, &lowbar;x&lowbar; or a_b, &num;1; &sim;5&sim; &amp; 100&percnt;%"',
        "  }",
      ),
    );
  });

  it("keeps the first sentence of a long description, cut at 60 characters, so boxes stay narrow", () => {
    const events = table("events", {
      id: integer().primaryKey().describe("The event, e.g. a click. Assigned by the collector."),
      source: text().describe("Where the event came from: the landing page, the referrer or the campaign that brought the visitor"),
    });

    expect(renderErDiagram(modelOf([events]), ["events"])).toBe(
      mermaid(
        "  events {",
        '    INTEGER id PK "The event, e.g. a click."',
        '    TEXT source "Where the event came from: the landing page, the referrer o…"',
        "  }",
      ),
    );
  });

  it("keeps every column of a wide table", () => {
    const columns = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`metric_${i}`, integer()]));
    const wide = table("wide", { id: integer().primaryKey(), ...columns });

    const lines = renderErDiagram(modelOf([wide]), ["wide"]).split("\n");
    expect(lines.filter((line) => line.startsWith("    "))).toHaveLength(71);
    expect(lines).toContain("    INTEGER metric_69");
  });
});

describe("relationships", () => {
  const parents = table("parents", { id: text().primaryKey() });

  it("draws each cardinality from nullability and the child's unique keys", () => {
    const required = table("required_children", { id: text().primaryKey(), parent_id: text().notNull().references("parents") });
    const optional = table("optional_children", { id: text().primaryKey(), parent_id: text().references("parents", "id", { onDelete: "set null" }) });
    // A key column counts as NOT NULL (as in the generated types), and the key makes it one-to-one.
    const extension = table("parent_extensions", { parent_id: text().primaryKey().references("parents", "id", { onDelete: "cascade" }) });
    const settings = table("parent_settings", { id: integer().primaryKey(), parent_id: text().unique().references("parents") });
    const badges = table(
      "parent_badges",
      { id: integer().primaryKey(), parent_id: text().notNull().references("parents") },
      { indexes: [uniqueIndex("ux_parent_badges_parent").on("parent_id")] },
    );
    // A partial unique index leaves rows outside it free to repeat the parent: still many.
    const flags = table(
      "parent_flags",
      { id: integer().primaryKey(), parent_id: text().notNull().references("parents"), active: integer() },
      { indexes: [uniqueIndex("ux_parent_flags_active").on("parent_id").where("active = 1")] },
    );
    const model = modelOf([parents, required, optional, extension, settings, badges, flags]);
    const file = ["parents", "required_children", "optional_children", "parent_extensions", "parent_settings", "parent_badges", "parent_flags"];

    const diagram = renderErDiagram(model, file);
    expect(diagram.split("\n").filter((line) => line.includes("--"))).toEqual([
      '  parents |o--o{ optional_children : "parent_id (ON DELETE SET NULL)"',
      '  parents ||--o| parent_badges : "parent_id"',
      '  parents ||--o| parent_extensions : "parent_id (ON DELETE CASCADE)"',
      '  parents ||--o{ parent_flags : "parent_id"',
      '  parents |o--o| parent_settings : "parent_id"',
      '  parents ||--o{ required_children : "parent_id"',
    ]);
    // Entities follow the order of the file, not the model's alphabetical order.
    expect(diagram.split("\n").filter((line) => line.endsWith("{") && !line.includes("--"))).toEqual(file.map((name) => `  ${name} {`));
  });

  it("treats a composite foreign key covered by a unique constraint in another column order as one-to-one", () => {
    const slots = table("slots", { day: text().notNull(), room: text().notNull() }, { primaryKey: ["day", "room"] });
    const bookings = table(
      "bookings",
      { id: integer().primaryKey(), day: text().notNull(), room: text().notNull() },
      { unique: [["room", "day"]], foreignKeys: [{ columns: ["day", "room"], references: { table: "slots", columns: ["day", "room"] }, onDelete: "cascade" }] },
    );

    expect(renderErDiagram(modelOf([slots, bookings]), ["slots", "bookings"])).toBe(
      mermaid(
        "  slots {",
        "    TEXT day PK",
        "    TEXT room PK",
        "  }",
        "  bookings {",
        "    INTEGER id PK",
        "    TEXT day FK",
        "    TEXT room FK",
        "  }",
        '  slots ||--o| bookings : "day, room (ON DELETE CASCADE)"',
      ),
    );
  });

  it("draws tables of other files as stubs, for a parent there and for a child there", () => {
    const organizations = table("organizations", { id: text().primaryKey() });
    const users = table("users", { id: text().primaryKey(), organization_id: text().references("organizations") });
    const sessions = table("sessions", { token: text().primaryKey(), user_id: text().notNull().references("users", "id", { onDelete: "cascade" }) });
    const logs = table("logs", { id: integer().primaryKey(), organization_id: text().references("organizations") });
    const model = modelOf([organizations, users, sessions, logs]);

    // logs touches no table of the file, so it is left out.
    expect(renderErDiagram(model, ["users"])).toBe(
      mermaid(
        "  users {",
        "    TEXT id PK",
        "    TEXT organization_id FK",
        "  }",
        "  organizations",
        "  sessions",
        '  organizations |o--o{ users : "organization_id"',
        '  users ||--o{ sessions : "user_id (ON DELETE CASCADE)"',
      ),
    );
  });

  it("labels a deprecated stub like a deprecated entity", () => {
    const accounts = table("accounts", { id: text().primaryKey() }, { deprecated: "use users" });
    const invoices = table("invoices", { id: text().primaryKey(), account_id: text().notNull().references("accounts") });

    expect(renderErDiagram(modelOf([accounts, invoices]), ["invoices"])).toBe(
      mermaid(
        "  invoices {",
        "    TEXT id PK",
        "    TEXT account_id FK",
        "  }",
        '  accounts["accounts (deprecated)"]',
        '  accounts ||--o{ invoices : "account_id"',
      ),
    );
  });

  it("draws a self-reference", () => {
    const employees = table("employees", { id: integer().primaryKey(), manager_id: integer().references("employees", "id", { onDelete: "set null" }) });

    expect(renderErDiagram(modelOf([employees]), ["employees"])).toBe(
      mermaid(
        "  employees {",
        "    INTEGER id PK",
        "    INTEGER manager_id FK",
        "  }",
        '  employees |o--o{ employees : "manager_id (ON DELETE SET NULL)"',
      ),
    );
  });

  it("quotes a table named like a Mermaid keyword wherever it appears", () => {
    const end = table("end", { id: text().primaryKey() });
    const steps = table("steps", { id: text().primaryKey(), end_id: text().notNull().references("end") });

    expect(renderErDiagram(modelOf([end, steps]), ["end", "steps"])).toBe(
      mermaid(
        '  "end" {',
        "    TEXT id PK",
        "  }",
        "  steps {",
        "    TEXT id PK",
        "    TEXT end_id FK",
        "  }",
        '  "end" ||--o{ steps : "end_id"',
      ),
    );
  });

  it("draws any name SQLite accepts, each table in a box of its own even where quoting makes two names meet", () => {
    const quoted = table('a"b', { "order id": text().primaryKey(), Straße: text() });
    const underscored = table("a_b", { id: text().primaryKey(), "a-b ref": text().references('a"b', "order id") });
    const spaced = table("my table", { id: text().primaryKey(), pk: text(), 'quo"te': text().references("a_b") });

    expect(renderErDiagram(modelOf([quoted, underscored, spaced]), ['a"b', "a_b", "my table"])).toBe(
      mermaid(
        '  "a_b_2" {',
        '    TEXT order_id PK "column order id"',
        '    TEXT Stra_e "column Straße"',
        "  }",
        "  a_b {",
        "    TEXT id PK",
        '    TEXT a_b_ref FK "column a-b ref"',
        "  }",
        '  "my table" {',
        "    TEXT id PK",
        '    TEXT pk_ "column pk"',
        '    TEXT quo_te FK "column quo&quot;te"',
        "  }",
        '  "a_b_2" |o--o{ a_b : "a-b ref"',
        '  a_b |o--o{ "my table" : "quo&quot;te"',
      ),
    );
  });
});

it("refuses a table the database does not have", () => {
  const model = modelOf([table("parents", { id: text().primaryKey() })]);
  expect(() => renderErDiagram(model, ["parents", "missing"])).toThrow(SchemaError);
});
