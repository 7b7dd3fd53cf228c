// Random schemas, evolutions and rows for the planner's property test.
//
// Everything is driven by "choice streams": arrays of small numbers that a deterministic interpreter turns into
// a schema, an evolution of it, or rows. fast-check generates and shrinks the streams; a stream value of 0 always
// means the simplest option and an exhausted stream reads as zeros, so shrinking moves towards small schemas.
//
// The interpreter works on its own spec model, in which tables and columns have stable ids that survive renames.
// Besides what the schema declares, every column carries what is known about its *data* (distinct values, how many
// NULLs, whether the values still fit the declared type, which parent keys it holds), so that an evolution only
// adds constraints the existing rows satisfy: UNIQUE only on distinct columns, foreign keys only on columns whose
// values were drawn from the parent's keys, STRICT only when every value fits its column, and so on.
//
// Evolutions change tables and columns by identity, so names may come back: two columns (or tables) swap names,
// three rotate theirs, a renamed one's old name is taken by a new one or by another renamed one whose old owner
// is dropped. Every rename is said with a `renamedFrom` hint naming the object's name in the previous schema,
// and hints stay in the schema after they are applied, as they do in real schema files (see `settleHints`).
//
// Rows hold, besides ordinary values, values that only an exact comparison tells apart: NUL characters in text and
// blobs, integers at ±2^63, reals that need 17 digits, astral, combining and right-to-left text, NULL in a rowid
// table's non-INTEGER primary key, and (rarely) a 1 MB text or blob.
import fc from "fast-check";
import {
  blob,
  boolean,
  desc,
  expr,
  index,
  integer,
  json,
  numeric,
  real,
  table,
  text,
  timestamp,
  type ColumnBuilder,
  type ForeignKeySpec,
  type IndexBuilder,
  type TableDefinition,
} from "../../generator/dsl/index.js";
import type { Database, ReferentialAction, SqlType } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { modelOf } from "./evolve.js";

// ---------------------------------------------------------------------------------------------------------------
// Choice streams
// ---------------------------------------------------------------------------------------------------------------

/** Reads decisions from a stream of numbers; 0 (and the end of the stream) means "the simplest option". */
export class Choices {
  private at = 0;

  constructor(private readonly values: readonly number[]) {}

  private next(): number {
    return this.at < this.values.length ? this.values[this.at++] : 0;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  /** True with probability p; a 0 in the stream reads as false. */
  chance(p: number): boolean {
    return this.next() % 1000 >= 1000 - Math.round(p * 1000);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from nothing");
    return items[this.int(0, items.length - 1)];
  }

  /** One of `options` with the given weights; the first option is the simplest. */
  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const total = options.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.int(0, total - 1);
    for (const [weight, option] of options) {
      if (roll < weight) return option;
      roll -= weight;
    }
    return options[options.length - 1][1];
  }
}

export const choiceStream = (length: number) => fc.array(fc.noBias(fc.nat({ max: 0xffff })), { minLength: length, maxLength: length });

// ---------------------------------------------------------------------------------------------------------------
// The spec model
// ---------------------------------------------------------------------------------------------------------------

export const kinds = ["text", "integer", "real", "blob", "numeric", "boolean", "json", "timestamp_iso", "timestamp_unix"] as const;
export type Kind = (typeof kinds)[number];
export const storageOf: Record<Kind, SqlType> = {
  text: "TEXT",
  integer: "INTEGER",
  real: "REAL",
  blob: "BLOB",
  numeric: "NUMERIC",
  boolean: "INTEGER",
  json: "TEXT",
  timestamp_iso: "TEXT",
  timestamp_unix: "INTEGER",
};

export const actions: ReferentialAction[] = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"];

/** A default as the DSL takes it: a JavaScript literal, or SQL (constant when ALTER TABLE ADD COLUMN accepts it). */
export type Dflt = { value: string | number | boolean } | { sql: string; constant: boolean };

/** A CHECK, rendered with the columns' current names. */
export type Check =
  /** length(c) <= 200: holds for every value the generators produce, of any type. */
  | { kind: "len"; col: number }
  /** A check that only holds while the column still holds values of its original kind. */
  | { kind: "type"; col: number; as: Kind }
  /** A table check over two columns. */
  | { kind: "sumlen"; cols: [number, number] };

export type IndexPartSpec = { col: number; desc: boolean } | { lower: number };

export interface Idx {
  name: string;
  unique: boolean;
  parts: IndexPartSpec[];
  /** A partial index: WHERE "col" IS NOT NULL. */
  where?: number;
}

/**
 * Columns whose values are drawn from a parent key. `declared` says whether the schema has the foreign key; an
 * undeclared one is only knowledge about the data, so a later evolution may declare it and the rows satisfy it.
 */
export interface Ref {
  cols: number[];
  table: number;
  refCols: number[];
  declared: boolean;
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  /** Each parent key is used at most once (a one-to-one link). */
  distinct: boolean;
}

export type Nulls = "none" | "one" | "many";

export interface Col {
  id: number;
  name: string;
  kind: Kind;
  notNull: boolean;
  dflt?: Dflt;
  unique: boolean;
  check?: Check;
  /** A generated column: coalesce(length(<from>), -1), VIRTUAL or STORED. */
  gen?: { from: number; stored: boolean };
  renamedFrom?: string;
  // What is known about the data:
  /** Non-null values are pairwise distinct and never equal to a default of any kind. */
  distinct: boolean;
  nulls: Nulls;
  /** The values are exactly what the generator for `kind` produces (no conversion has happened). */
  native: boolean;
  /** Every value has the storage class of the column's type, so the table may become STRICT. */
  fits: boolean;
  /** One row holds a value of about 1 MB here (text or blob), so no CHECK on its length may be added. */
  huge?: boolean;
  /**
   * The type the column is declared with (issue 16), of its kind's storage affinity, so that the values behave as
   * without it; written only where it may stand (declaredTypeOf below).
   */
  declared?: string;
}

export interface Tbl {
  id: number;
  name: string;
  cols: Col[];
  pk?: { cols: number[]; autoinc: boolean };
  uniques: number[][];
  checks: Check[];
  refs: Ref[];
  indexes: Idx[];
  strict: boolean;
  withoutRowid: boolean;
  renamedFrom?: string;
}

export interface Schema {
  tables: Tbl[];
  counter: number;
  used: string[];
}

const tableKeywords = ["order", "group", "values", "select"];
/**
 * PROPERTY_AVOID (comma-separated) leaves features out of the generated cases, to look for other bugs while a known
 * one is being fixed:
 *   - schemas: "rowid" (no column named rowid), "cascade" (no ON DELETE/UPDATE CASCADE), "self-restrict" (no
 *     RESTRICT on a self-reference), "index-key" (no foreign key to a unique index), "null-key" (no NULL in a
 *     rowid table's non-INTEGER primary key);
 *   - evolutions: "drop-key" (no parent key removed while an old foreign key uses it), "renamed-key" (no parent key
 *     column renamed), "new-key" (no new foreign key to a key added in the same step), "without-rowid-rename" (no
 *     column renamed in a WITHOUT ROWID table), "swap" (no two tables or columns swapping or rotating names),
 *     "re-add" (no new table or column under the old name of one renamed in the same step), "onto-dropped" (no
 *     rename onto the name of a table or column dropped in the same step), "onto-dropped-parent" (none onto the
 *     name of a dropped table that a kept table referenced before the step), "onto-dropped-key" (no parent key
 *     column renamed onto the name of a dropped column), "onto-dropped-generated" (no generated column added or
 *     changed in a table where a column takes a dropped one's name), "kept-hints" (each step removes the
 *     renamedFrom hints of earlier steps), "generated-to-plain", "plain-to-generated",
 *     "lossy-widening" (no type change the planner calls widening that can change values: INTEGER → REAL, REAL or
 *     NUMERIC → TEXT or BLOB);
 *   - row values: "nul" (no NUL characters), "huge" (no 1 MB values), "bigint" (no integers beyond ±2^53),
 *     "digits" (no reals that need 17 significant digits), "unicode" (no astral, combining or right-to-left text).
 */
/**
 * Features that still trigger open planner bugs, left out by default so that `npm test` guards everything else;
 * each entry must go as its bug is fixed. `PROPERTY_AVOID=none` forces the full space.
 */
const knownOpenBugs = "";
const avoid = new Set((process.env.PROPERTY_AVOID ?? knownOpenBugs).split(",").filter((name) => name && name !== "none"));
const columnKeywords = ["order", "key", "values", "default", "check", "from", "rowid", "group", "index", "primary"].filter(
  (name) => !(avoid.has("rowid") && name === "rowid"),
);

function freshName(ch: Choices, s: Schema, prefix: "t" | "c" | "i"): string {
  const pool = prefix === "t" ? tableKeywords : prefix === "c" ? columnKeywords : [];
  if (pool.length > 0 && ch.chance(0.08)) {
    const name = ch.pick(pool);
    if (!s.used.includes(name)) {
      s.used.push(name);
      return name;
    }
  }
  s.counter += 1;
  const name = oddName(prefix, s.counter) ?? `${prefix}${s.counter}`;
  s.used.push(name);
  return name;
}

/**
 * Names SQLite accepts that are not plain words (issue 16), for one object in five, from its number so that the
 * choice streams stay as they were: a space, a dash, capitals, a leading digit, non-ASCII letters. (No `"`: the
 * tests' own SQL quotes names without doubling one.)
 */
function oddName(prefix: string, n: number): string | undefined {
  if (n % 5 !== 4) return undefined;
  const forms = [`${prefix} ${n}`, `${prefix.toUpperCase()}-${n}`, `${n}${prefix}`, `ß${prefix}${n}`, `${prefix}é ${n}`];
  return forms[Math.floor(n / 5) % forms.length];
}

export const colById = (t: Tbl, id: number): Col => {
  const col = t.cols.find((c) => c.id === id);
  if (!col) throw new Error(`no column ${id} in ${t.name}`);
  return col;
};
export const tableById = (s: Schema, id: number): Tbl | undefined => s.tables.find((t) => t.id === id);

// ---------------------------------------------------------------------------------------------------------------
// Values, defaults and checks per kind
// ---------------------------------------------------------------------------------------------------------------

/** SQL literals of values each kind's column may hold (never equal to a distinct value or a default). */
const plainValues: Record<Kind, string[]> = {
  text: ["'a'", "'B'", "'hello world'", "'ünïcödé'", "'12'", "'0.5'", "' x '", "'it''s'", "''", "'NULL'"],
  integer: ["0", "1", "-1", "42", "123456789"],
  real: ["0.25", "-2.75", "3.0", "1e-07", "1.0e+20", "123.456"],
  blob: ["X'00'", "X'DEAD'", "X''"],
  numeric: ["5", "2.5", "'7'", "'abc'", "1000.0"],
  boolean: ["0", "1"],
  json: ["'[]'", `'{"a":1}'`, `'"s"'`, "'null'", "'[1,2,3]'"],
  timestamp_iso: ["'2024-01-01 00:00:00'", "'2024-02-29T12:34:56Z'", "'1999-12-31 23:59:59'"],
  timestamp_unix: ["0", "1700000000", "-1", "253402300799"],
};

/**
 * Values that test exact comparison and conversion (SQL expressions, as a NUL cannot be written in a literal),
 * each with the PROPERTY_AVOID names that leave it out. None breaks a CHECK the generators write.
 */
const edgeValues: Partial<Record<Kind, { sql: string; avoid: string[] }[]>> = {
  text: [
    { sql: "('nul' || char(0) || 'inside')", avoid: ["nul"] },
    { sql: "(char(0) || 'lead')", avoid: ["nul"] },
    { sql: "'astral 😀 𝔘𝔫𝔦'", avoid: ["unicode"] },
    { sql: "'combining e\u0301 a\u0308 ﷽'", avoid: ["unicode"] },
    { sql: "'rtl שלום مرحبا \u202Eevil\u202C'", avoid: ["unicode"] },
  ],
  integer: [
    { sql: "9007199254740993", avoid: ["bigint"] },
    { sql: "9223372036854775807", avoid: ["bigint"] },
    { sql: "9223372036854775806", avoid: ["bigint"] },
    { sql: "-9223372036854775808", avoid: ["bigint"] },
    { sql: "-9223372036854775807", avoid: ["bigint"] },
  ],
  real: [
    { sql: "0.30000000000000004", avoid: ["digits"] },
    { sql: "1.7976931348623157e308", avoid: ["digits"] },
    { sql: "-5e-324", avoid: ["digits"] },
  ],
  blob: [{ sql: "X'0000FF00'", avoid: ["nul"] }],
  numeric: [
    { sql: "'9223372036854775808'", avoid: ["bigint"] },
    { sql: "-9223372036854775808", avoid: ["bigint"] },
  ],
  json: [{ sql: `'{"e":"😀\\u0000"}'`, avoid: ["unicode"] }],
  timestamp_unix: [{ sql: "-9223372036854775808", avoid: ["bigint"] }],
};

/** SQL of the values a column of `kind` may hold in any row (never equal to a distinct value or a default). */
export const poolValues = Object.fromEntries(
  kinds.map((kind) => [
    kind,
    [...plainValues[kind], ...(edgeValues[kind] ?? []).filter((value) => !value.avoid.some((name) => avoid.has(name))).map((value) => value.sql)],
  ]),
) as Record<Kind, string[]>;

/** A value of about 1 MB for a `huge` column (text or blob). */
export const hugeValue = (kind: Kind) => (kind === "blob" ? "CAST(printf('%.*c', 1048576, 'b') || char(0) AS BLOB)" : "(printf('%.*c', 1000000, 'x') || '😀')");

/** The k-th distinct value of a kind, as an SQL literal. Booleans have no distinct values. */
export function distinctValue(kind: Kind, k: number): string {
  switch (kind) {
    case "text":
      return `'u${k}'`;
    case "integer":
      // Every fourth one just below 2^63, to carry the largest integers through keys and rebuilds exactly.
      return k % 4 === 3 && !avoid.has("bigint") ? String(9_223_372_036_854_770_000n + BigInt(k)) : String(1000 + k);
    case "real":
      return `${1000 + k}.5`;
    case "blob":
      return `X'FF${(k % 256).toString(16).padStart(2, "0")}${Math.floor(k / 256)
        .toString(16)
        .padStart(2, "0")}'`;
    case "numeric":
      return String(2000 + k);
    case "json":
      return `'{"u":${k}}'`;
    case "timestamp_iso":
      return `'2031-01-01 00:00:${String(k).padStart(2, "0")}'`;
    case "timestamp_unix":
      return String(1_800_000_000 + k);
    case "boolean":
      throw new Error("booleans have no distinct values");
  }
}

const constantDefaults: Record<Kind, Dflt[]> = {
  text: [{ value: "dflt" }, { value: "" }, { value: "it's" }],
  integer: [{ value: 7 }, { value: 0 }, { value: -1 }],
  real: [{ value: 0.5 }, { value: -2.25 }],
  blob: [
    { sql: "X'00'", constant: true },
    { sql: "X'CAFE'", constant: true },
  ],
  numeric: [{ value: 3 }, { value: 2.5 }],
  boolean: [{ value: true }, { value: false }],
  json: [{ value: "[]" }, { value: '{"k":1}' }],
  timestamp_iso: [{ value: "1970-01-01 00:00:00" }],
  timestamp_unix: [{ value: 0 }, { value: 1700000000 }],
};

const expressionDefaults: Record<Kind, Dflt[]> = {
  text: [{ sql: "lower('ABC')", constant: false }],
  integer: [{ sql: "(1 + 2)", constant: false }],
  real: [{ sql: "(1.5 * 2)", constant: false }],
  blob: [{ sql: "randomblob(2)", constant: false }],
  numeric: [{ sql: "(10 / 4)", constant: false }],
  boolean: [{ sql: "(1 = 1)", constant: false }],
  json: [{ sql: "json_array(1, 2)", constant: false }],
  timestamp_iso: [
    { sql: "CURRENT_TIMESTAMP", constant: false },
    { sql: "datetime('now')", constant: false },
  ],
  timestamp_unix: [{ sql: "unixepoch()", constant: false }],
};

export const isConstantDefault = (d: Dflt | undefined) => d !== undefined && ("value" in d || d.constant);

function pickDefault(ch: Choices, kind: Kind, constantOnly = false): Dflt {
  if (!constantOnly && ch.chance(0.25)) return ch.pick(expressionDefaults[kind]);
  return ch.pick(constantDefaults[kind]);
}

const q = (name: string) => `"${name}"`;

/** The SQL of a type check; it holds for every value `poolValues`, `distinctValue` and the defaults give `kind`. */
function typeCheckSql(kind: Kind, c: string): string {
  switch (kind) {
    case "integer":
    case "timestamp_unix":
      return `typeof(${c}) IN ('integer', 'null')`;
    case "real":
      return `typeof(${c}) IN ('real', 'null')`;
    case "boolean":
      return `${c} IN (0, 1)`;
    case "json":
      return `json_valid(${c})`;
    case "timestamp_iso":
      return `${c} GLOB '[0-9][0-9][0-9][0-9]-*'`;
    case "text":
      return `length(${c}) <= 64`;
    case "blob":
    case "numeric":
      return `length(${c}) < 100`;
  }
}

export function checkSql(check: Check, nameOf: (id: number) => string): string {
  switch (check.kind) {
    case "len":
      return `length(${q(nameOf(check.col))}) <= 200`;
    case "type":
      return typeCheckSql(check.as, q(nameOf(check.col)));
    case "sumlen":
      return `coalesce(length(${q(nameOf(check.cols[0]))}), 0) + coalesce(length(${q(nameOf(check.cols[1]))}), 0) <= 400`;
  }
}

export const checkCols = (check: Check): number[] => (check.kind === "sumlen" ? [...check.cols] : [check.col]);

// ---------------------------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------------------------

const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

/** Every column set SQLite accepts as a foreign key's parent key (the model's isUniqueKey). */
export function keysOf(t: Tbl): number[][] {
  return [
    ...(t.pk ? [t.pk.cols] : []),
    ...t.cols.filter((c) => c.unique).map((c) => [c.id]),
    ...t.uniques,
    ...t.indexes.filter((i) => i.unique && i.where === undefined && i.parts.every((p) => "col" in p)).map((i) => i.parts.map((p) => ("col" in p ? p.col : -1))),
  ];
}

export const isKey = (t: Tbl, cols: readonly number[]) => keysOf(t).some((key) => sameSet(key, cols));

/** Every column set whose values must stay unique (keys plus partial unique indexes). */
function uniqueSets(t: Tbl): number[][] {
  return [...keysOf(t), ...t.indexes.filter((i) => i.unique && i.where !== undefined).map((i) => i.parts.map((p) => ("col" in p ? p.col : -1)))];
}

/** The declared foreign keys of the whole schema that point at `t`. */
function declaredRefsTo(s: Schema, t: Tbl): Ref[] {
  return s.tables.flatMap((other) => other.refs.filter((ref) => ref.declared && ref.table === t.id));
}

/**
 * True when removing a key of `t` (as `without` does) leaves every declared foreign key to `t` a parent key. With
 * PROPERTY_AVOID=drop-key, also the foreign keys of the previous schema (whose tables may be dropped in this step).
 */
function keysStillServe(st: StepState, t: Tbl, without: Tbl): boolean {
  const refs = [...declaredRefsTo(st.s, t), ...(avoid.has("drop-key") ? declaredRefsTo(st.prev, t) : [])];
  return refs.every((ref) => isKey(without, ref.refCols));
}

const refOf = (t: Tbl, col: number) => t.refs.find((ref) => ref.cols.includes(col));

/** Parent keys a new link may point at (none with a generated column; with PROPERTY_AVOID=index-key, no unique index). */
function linkKeysOf(parent: Tbl): number[][] {
  const keys = avoid.has("index-key")
    ? [...(parent.pk ? [parent.pk.cols] : []), ...parent.cols.filter((c) => c.unique).map((c) => [c.id]), ...parent.uniques]
    : keysOf(parent);
  return keys.filter((key) => key.every((id) => !colById(parent, id).gen));
}

/** With `prev` and PROPERTY_AVOID=new-key, only keys that existed before the step (or belong to a new table). */
function linkTargets(tables: readonly Tbl[], prev?: Schema): { parent: Tbl; key: number[] }[] {
  return tables.flatMap((parent) => {
    const before = prev && avoid.has("new-key") ? tableById(prev, parent.id) : undefined;
    return linkKeysOf(parent)
      .filter((key) => !before || isKey(before, key))
      .map((key) => ({ parent, key }));
  });
}

/** True when `t`'s rows have a rowid that no column holds. */
export function hasHiddenRowid(t: Tbl): boolean {
  if (t.withoutRowid) return false;
  if (!t.pk || t.pk.cols.length !== 1 || keyDesc(t)) return true;
  return storageOf[colById(t, t.pk.cols[0]).kind] !== "INTEGER";
}

// ---------------------------------------------------------------------------------------------------------------
// Generating tables
// ---------------------------------------------------------------------------------------------------------------

/** Declared types by the storage affinity they have. */
const declaredTypes: Record<SqlType, string[]> = {
  TEXT: ["VARCHAR(255)", "CLOB", "NVARCHAR(40)", "CHARACTER VARYING(9)"],
  INTEGER: ["BIGINT", "INT", "UNSIGNED BIG INT", "TINYINT"],
  REAL: ["DOUBLE", "DOUBLE PRECISION", "FLOAT"],
  NUMERIC: ["DECIMAL(10,2)", "DATETIME", "BOOLEAN"],
  BLOB: [""],
};

/**
 * One column in three gets a declared type, chosen from its id so that the choice stream (and every case the
 * seeds found before declared types) stays as it was.
 */
function declaredById(id: number, kind: Kind): string | undefined {
  const pool = declaredTypes[storageOf[kind]];
  return id % 3 === 0 ? pool[Math.floor(id / 3) % pool.length] : undefined;
}

function newCol(ch: Choices, s: Schema, kind: Kind, patch: Partial<Col> = {}): Col {
  const id = ++s.counter;
  return {
    id,
    declared: declaredById(id, kind),
    name: freshName(ch, s, "c"),
    kind,
    notNull: false,
    unique: false,
    distinct: false,
    nulls: "many",
    native: true,
    fits: kind !== "numeric",
    ...patch,
  };
}

function pickKind(ch: Choices, strict: boolean): Kind {
  const allowed = strict ? kinds.filter((kind) => kind !== "numeric") : kinds;
  return ch.pick(allowed);
}

const isNullDefault = (d: Dflt | undefined) => d === undefined || ("sql" in d && d.sql.toUpperCase() === "NULL");

/** Whether `action` may be a link's ON DELETE / ON UPDATE given its columns: it must not write NULL into NOT NULL. */
function actionFits(action: ReferentialAction, cols: readonly Col[]): boolean {
  return cols.every((col) => !col.notNull || (action !== "SET NULL" && !(action === "SET DEFAULT" && isNullDefault(col.dflt))));
}

function pickAction(ch: Choices, cols: readonly Col[], self = false): ReferentialAction {
  return ch.pick(
    actions.filter(
      (action) => actionFits(action, cols) && !(avoid.has("cascade") && action === "CASCADE") && !(avoid.has("self-restrict") && self && action === "RESTRICT"),
    ),
  );
}

/** True when every declared link of `t` has actions its columns allow (after a change to NOT NULL or a default). */
function linksAllowed(t: Tbl): boolean {
  return t.refs.every((ref) => {
    if (!ref.declared) return true;
    const cols = ref.cols.map((id) => colById(t, id));
    return actionFits(ref.onDelete, cols) && actionFits(ref.onUpdate, cols);
  });
}

/**
 * A new table. `parents` are the tables its foreign keys may point at (besides itself): earlier tables in schema A,
 * any table in an evolution (the new table has no rows yet, so its links may even close a cycle).
 */
function genTable(ch: Choices, s: Schema, parents: readonly Tbl[], prev?: Schema): Tbl {
  const t: Tbl = {
    id: ++s.counter,
    name: freshName(ch, s, "t"),
    cols: [],
    uniques: [],
    checks: [],
    refs: [],
    indexes: [],
    strict: ch.chance(0.2),
    withoutRowid: false,
  };
  const pkStyle = ch.weighted([
    [20, "none"],
    [20, "integer"],
    [15, "autoincrement"],
    [20, "text"],
    [20, "composite"],
  ] as const);
  if (pkStyle === "integer" || pkStyle === "autoincrement" || pkStyle === "text") {
    const col = newCol(ch, s, pkStyle === "text" ? "text" : "integer", { notNull: ch.chance(0.4), distinct: true, nulls: "none" });
    t.cols.push(col);
    t.pk = { cols: [col.id], autoinc: pkStyle === "autoincrement" };
  } else if (pkStyle === "composite") {
    const first = newCol(ch, s, ch.pick(["text", "integer"] as const), { notNull: ch.chance(0.5), distinct: true, nulls: "none" });
    const second = newCol(ch, s, ch.pick(["text", "integer", "timestamp_iso"] as const), { notNull: ch.chance(0.5), nulls: "none" });
    t.cols.push(first, second);
    t.pk = { cols: [first.id, second.id], autoinc: false };
  }
  if (t.pk && !t.pk.autoinc && ch.chance(0.15)) t.withoutRowid = true;
  // SQLite lets a rowid table's PRIMARY KEY hold NULLs (kept for compatibility), unless the key is the rowid itself
  // or the table is STRICT.
  if (t.pk && hasHiddenRowid(t) && !t.strict && !avoid.has("null-key")) {
    for (const col of t.pk.cols.map((id) => colById(t, id))) {
      if (!col.notNull && ch.chance(0.3)) col.nulls = ch.pick(["one", "many"] as const);
    }
  }

  const extra = ch.int(t.cols.length === 0 ? 1 : 0, 8 - t.cols.length - 1);
  for (let n = 0; n < extra && t.cols.length < 8; n++) {
    const targets = linkTargets([...parents, t], prev);
    if (targets.length > 0 && ch.chance(0.35) && addRefColumns(ch, s, t, ch.pick(targets), false)) continue;
    t.cols.push(genPlainCol(ch, s, t.strict));
  }
  if (ch.chance(0.2)) addGenerated(ch, s, t);

  addTableExtras(ch, s, t);
  return t;
}

/** Adds a generated INTEGER column computed from another column of `t`. */
function addGenerated(ch: Choices, s: Schema, t: Tbl): Col | undefined {
  const sources = t.cols.filter((c) => !c.gen);
  if (sources.length === 0) return undefined;
  const col = newCol(ch, s, "integer", { gen: { from: ch.pick(sources).id, stored: ch.chance(0.4) }, native: false });
  t.cols.push(col);
  return col;
}

const genSql = (gen: { from: number }, nameOf: (id: number) => string) => `coalesce(length(${q(nameOf(gen.from))}), -1)`;

function genPlainCol(ch: Choices, s: Schema, strict: boolean): Col {
  const kind = pickKind(ch, strict);
  const notNull = ch.chance(0.3);
  const distinct = kind !== "boolean" && ch.chance(0.3);
  const col = newCol(ch, s, kind, {
    notNull,
    distinct,
    nulls: notNull ? "none" : distinct ? ch.pick(["none", "one"] as const) : ch.pick(["none", "one", "many"] as const),
  });
  if (ch.chance(0.4)) col.dflt = pickDefault(ch, kind);
  if (distinct && ch.chance(0.5)) col.unique = true;
  if ((kind === "text" || kind === "blob") && !distinct && !avoid.has("huge") && ch.chance(0.03)) col.huge = true;
  else if (ch.chance(0.25)) col.check = ch.chance(0.5) ? { kind: "len", col: col.id } : { kind: "type", col: col.id, as: kind };
  return col;
}

/**
 * Adds the columns of a link from `t` to `target` (composite when the key is). With `empty`, the columns are new
 * to an existing table: nullable without default, so every existing row holds NULL there.
 */
function addRefColumns(ch: Choices, s: Schema, t: Tbl, target: { parent: Tbl; key: number[] }, empty: boolean): boolean {
  const { parent, key } = target;
  // STRICT tables have no NUMERIC columns.
  if (t.strict && key.some((id) => colById(parent, id).kind === "numeric")) return false;
  const self = parent.id === t.id;
  const notNull = !empty && !self && ch.chance(0.2);
  const distinct = !empty && key.length === 1 && !self && ch.chance(0.15);
  const cols = key.map((id) =>
    newCol(ch, s, colById(parent, id).kind, {
      notNull,
      distinct,
      nulls: empty ? "many" : notNull ? "none" : distinct ? ch.pick(["none", "one"] as const) : ch.pick(["none", "one", "many"] as const),
    }),
  );
  // A default on a link column only matters for ON DELETE SET DEFAULT; the rows never use it.
  if (!empty && ch.chance(0.2)) {
    for (const col of cols) col.dflt = !notNull && ch.chance(0.5) ? { sql: "NULL", constant: true } : pickDefault(ch, col.kind, true);
  }
  if (distinct && ch.chance(0.5)) cols[0].unique = true;
  t.cols.push(...cols);
  const declared = empty || ch.chance(0.75);
  t.refs.push({
    cols: cols.map((c) => c.id),
    table: parent.id,
    refCols: [...key],
    declared,
    onDelete: pickAction(ch, cols, self),
    onUpdate: ch.chance(0.3) ? pickAction(ch, cols, self) : "NO ACTION",
    distinct,
  });
  return true;
}

/** Composite UNIQUEs, table CHECKs and indexes over the table's columns. */
function addTableExtras(ch: Choices, s: Schema, t: Tbl): void {
  if (t.cols.length >= 2 && ch.chance(0.15)) {
    const anchor = t.cols.filter((c) => c.distinct);
    if (anchor.length > 0) {
      const a = ch.pick(anchor);
      const b = ch.pick(t.cols.filter((c) => c.id !== a.id));
      t.uniques.push([a.id, b.id]);
    }
  }
  if (ch.chance(0.2)) {
    const check = genTableCheck(ch, t);
    if (check) t.checks.push(check);
  }
  const count = ch.weighted([
    [50, 0],
    [35, 1],
    [15, 2],
  ] as const);
  for (let n = 0; n < count; n++) {
    const idx = genIndex(ch, s, t);
    if (idx) t.indexes.push(idx);
  }
}

function genTableCheck(ch: Choices, t: Tbl): Check | undefined {
  const cols = t.cols.filter((c) => !c.huge);
  if (cols.length >= 2 && ch.chance(0.5)) {
    const a = ch.pick(cols);
    const b = ch.pick(cols.filter((c) => c.id !== a.id));
    return { kind: "sumlen", cols: [a.id, b.id] };
  }
  const native = cols.filter((c) => c.native);
  if (native.length === 0) return undefined;
  const col = ch.pick(native);
  return { kind: "type", col: col.id, as: col.kind };
}

function genIndex(ch: Choices, s: Schema, t: Tbl): Idx | undefined {
  const style = ch.weighted([
    [40, "plain"],
    [25, "unique"],
    [20, "partial"],
    [15, "expression"],
  ] as const);
  const name = freshName(ch, s, "i");
  const someCols = () => {
    const first = ch.pick(t.cols);
    const parts: IndexPartSpec[] = [{ col: first.id, desc: ch.chance(0.3) }];
    const rest = t.cols.filter((c) => c.id !== first.id);
    if (rest.length > 0 && ch.chance(0.4)) parts.push({ col: ch.pick(rest).id, desc: ch.chance(0.3) });
    return parts;
  };
  switch (style) {
    case "plain":
      return { name, unique: false, parts: someCols() };
    case "unique": {
      const anchors = t.cols.filter((c) => c.distinct);
      if (anchors.length === 0) return { name, unique: false, parts: someCols() };
      const anchor = ch.pick(anchors);
      const parts: IndexPartSpec[] = [{ col: anchor.id, desc: ch.chance(0.3) }];
      const rest = t.cols.filter((c) => c.id !== anchor.id);
      if (rest.length > 0 && ch.chance(0.3)) parts.push({ col: ch.pick(rest).id, desc: false });
      return { name, unique: true, parts, where: ch.chance(0.2) ? anchor.id : undefined };
    }
    case "partial": {
      const parts = someCols();
      return { name, unique: false, parts, where: ch.pick(t.cols).id };
    }
    case "expression":
      return { name, unique: false, parts: [{ lower: ch.pick(t.cols).id }] };
  }
}

export function genSchema(values: readonly number[]): Schema {
  const ch = new Choices(values);
  const s: Schema = { tables: [], counter: 0, used: [] };
  const count = ch.int(1, 5);
  for (let n = 0; n < count; n++) s.tables.push(genTable(ch, s, s.tables));
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Evolving a schema
// ---------------------------------------------------------------------------------------------------------------

export interface Evolution {
  next: Schema;
  /** What the operations did. */
  log: string[];
  /** The operations applied, by name, for statistics. */
  ops: string[];
}

interface StepState {
  prev: Schema;
  s: Schema;
  ch: Choices;
  log: string[];
  typeChanged: Map<number, { kind: Kind; fits: boolean }>;
  /** The step removes the hints left by earlier steps (a schema file cleaned up). */
  forgetHints: boolean;
  /** Tables (ids) where a column took the name of a dropped one in this step. */
  ontoDropped: Set<number>;
}

type Op = (st: StepState) => boolean;

const prevTable = (st: StepState, id: number) => tableById(st.prev, id);
const prevCol = (st: StepState, t: Tbl, id: number) => prevTable(st, t.id)?.cols.find((c) => c.id === id);
/** Tables (and their columns) that existed before the step: the ones whose old names a hint can name. */
const keptTables = (st: StepState) => st.s.tables.filter((t) => prevTable(st, t.id));
const keptCols = (st: StepState, t: Tbl) => t.cols.filter((c) => prevCol(st, t, c.id));

/**
 * Whether a hint can say that the object called `before` in the previous schema is now called `name`: the previous
 * schema's object of that name must not carry that very hint already, or generate could not tell this rename from
 * a hint left in the file by an earlier one (which it must not apply again).
 */
function hintIsNew(previous: readonly { name: string; renamedFrom?: string }[], before: string | undefined, name: string): boolean {
  return before === undefined || before === name || !previous.some((item) => item.name === name && item.renamedFrom === before);
}
const tableMayTake = (st: StepState, t: Tbl, name: string) => hintIsNew(st.prev.tables, prevTable(st, t.id)?.name, name);
const colMayTake = (st: StepState, t: Tbl, col: Col, name: string) => hintIsNew(prevTable(st, t.id)?.cols ?? [], prevCol(st, t, col.id)?.name, name);

/** Whether PROPERTY_AVOID lets `col` be renamed. */
function mayRename(st: StepState, t: Tbl, col: Col): boolean {
  if (avoid.has("renamed-key") && [...declaredRefsTo(st.s, t), ...declaredRefsTo(st.prev, t)].some((ref) => ref.refCols.includes(col.id))) return false;
  return !(avoid.has("without-rowid-rename") && (t.withoutRowid || prevTable(st, t.id)?.withoutRowid));
}

/** `count` different items of `items`, or undefined when there are fewer. */
function pickSome<T>(ch: Choices, items: readonly T[], count: number): T[] | undefined {
  const rest = [...items];
  const picked: T[] = [];
  while (picked.length < count && rest.length > 0) picked.push(...rest.splice(ch.int(0, rest.length - 1), 1));
  return picked.length === count ? picked : undefined;
}

function renameTable(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  const name = freshName(st.ch, st.s, "t");
  st.log.push(`rename table ${t.name} → ${name}`);
  t.name = name;
  return true;
}

function renameColumn(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  const col = st.ch.pick(t.cols);
  if (!mayRename(st, t, col)) return false;
  const name = freshName(st.ch, st.s, "c");
  st.log.push(`rename column ${t.name}.${col.name} → ${name}`);
  col.name = name;
  return true;
}

/** Each of `size` tables takes the name of the next: two swap names, three rotate them. */
function rotateTableNames(st: StepState, size: number): boolean {
  if (avoid.has("swap")) return false;
  const chosen = pickSome(st.ch, keptTables(st), size);
  if (!chosen) return false;
  const names = chosen.map((_, at) => chosen[(at + 1) % size].name);
  if (!chosen.every((t, at) => tableMayTake(st, t, names[at]))) return false;
  st.log.push(`${size === 2 ? "swap" : "rotate"} the names of tables ${chosen.map((t) => t.name).join(", ")}`);
  chosen.forEach((t, at) => (t.name = names[at]));
  return true;
}
const swapTableNames = (st: StepState) => rotateTableNames(st, 2);
const rotateThreeTableNames = (st: StepState) => rotateTableNames(st, 3);

/** Each of `size` columns of a table takes the name of the next: two swap names, three rotate them. */
function rotateColumnNames(st: StepState, size: number): boolean {
  if (avoid.has("swap")) return false;
  const t = st.ch.pick(st.s.tables);
  const chosen = pickSome(
    st.ch,
    keptCols(st, t).filter((c) => mayRename(st, t, c)),
    size,
  );
  if (!chosen) return false;
  const names = chosen.map((_, at) => chosen[(at + 1) % size].name);
  if (!chosen.every((col, at) => colMayTake(st, t, col, names[at]))) return false;
  st.log.push(`${size === 2 ? "swap" : "rotate"} the names of columns ${chosen.map((c) => `${t.name}.${c.name}`).join(", ")}`);
  chosen.forEach((col, at) => (col.name = names[at]));
  return true;
}
const swapColumnNames = (st: StepState) => rotateColumnNames(st, 2);
const rotateThreeColumnNames = (st: StepState) => rotateColumnNames(st, 3);

/** Renames a table and creates a new one under its old name. */
function renameTableAndReAdd(st: StepState): boolean {
  if (avoid.has("re-add")) return false;
  const kept = keptTables(st);
  if (kept.length === 0) return false;
  const t = st.ch.pick(kept);
  const old = t.name;
  if (heldByGone(old, st.s.tables, st.prev.tables)) return false;
  t.name = freshName(st.ch, st.s, "t");
  const added = genTable(st.ch, st.s, st.s.tables, st.prev);
  added.name = old;
  st.s.tables.push(added);
  st.log.push(`rename table ${old} → ${t.name} and add a new table ${old}`);
  return true;
}

/** Drops a table and gives its name to another one. */
function renameTableOntoDropped(st: StepState): boolean {
  if (avoid.has("onto-dropped")) return false;
  const pair = pickSome(st.ch, keptTables(st), 2);
  if (!pair) return false;
  const [gone, t] = pair;
  if (!droppableTables(st).includes(gone) || !tableMayTake(st, t, gone.name)) return false;
  if (avoid.has("onto-dropped-parent") && referencedBefore(st, gone)) return false;
  st.log.push(`drop table ${gone.name} and rename ${t.name} → ${gone.name}`);
  dropTableNow(st, gone);
  t.name = gone.name;
  return true;
}

function addTable(st: StepState): boolean {
  const t = genTable(st.ch, st.s, st.s.tables, st.prev);
  st.s.tables.push(t);
  st.log.push(`add table ${t.name}`);
  return true;
}

/** Tables that no other table's declared foreign key needs. */
const droppableTables = (st: StepState) =>
  st.s.tables.length < 2
    ? []
    : st.s.tables.filter(
        (t) =>
          declaredRefsTo(st.s, t).every((ref) => t.refs.includes(ref)) &&
          !nameTakenByNew(prevTable(st, t.id)?.name, st.s.tables, st.prev.tables) &&
          !(
            avoid.has("onto-dropped-parent") &&
            referencedBefore(st, t) &&
            st.s.tables.some((other) => other.id !== t.id && other.name === prevTable(st, t.id)?.name)
          ),
      );

/** True when a table that is kept referenced `t` before the step. */
const referencedBefore = (st: StepState, t: Tbl) =>
  st.prev.tables.some((other) => other.id !== t.id && tableById(st.s, other.id) && other.refs.some((ref) => ref.declared && ref.table === t.id));

function dropTableNow(st: StepState, t: Tbl): void {
  st.s.tables = st.s.tables.filter((other) => other !== t);
  for (const other of st.s.tables) other.refs = other.refs.filter((ref) => ref.table !== t.id);
}

function dropTable(st: StepState): boolean {
  const candidates = droppableTables(st);
  if (candidates.length === 0) return false;
  const t = st.ch.pick(candidates);
  dropTableNow(st, t);
  st.log.push(`drop table ${t.name}`);
  return true;
}

function addColumn(st: StepState): boolean {
  return addColumnTo(st, st.ch.pick(st.s.tables));
}

function addColumnTo(st: StepState, t: Tbl): boolean {
  const { ch, s } = st;
  if (t.cols.length >= 10) return false;
  const style = ch.weighted([
    [30, "nullable"],
    [20, "nullable default"],
    [25, "not null default"],
    [15, "reference"],
    [7, "unique"],
    [3, "not null without default"],
  ] as const);
  if (style === "reference") {
    const targets = linkTargets(s.tables, st.prev);
    if (targets.length === 0) return false;
    const target = ch.pick(targets);
    if (!addRefColumns(ch, s, t, target, true)) return false;
    st.log.push(`add reference columns to ${t.name} → ${target.parent.name}`);
    return true;
  }
  const kind = pickKind(ch, t.strict);
  const col = newCol(ch, s, kind);
  switch (style) {
    case "nullable":
      col.distinct = true;
      break;
    case "nullable default":
      col.dflt = pickDefault(ch, kind);
      col.nulls = "none";
      break;
    case "not null default":
      col.notNull = true;
      col.dflt = pickDefault(ch, kind);
      col.nulls = "none";
      break;
    case "unique":
      col.distinct = true;
      col.unique = true;
      break;
    case "not null without default":
      col.notNull = true;
      col.nulls = "none";
      break;
  }
  if (ch.chance(0.2)) col.check = ch.chance(0.5) ? { kind: "len", col: col.id } : { kind: "type", col: col.id, as: kind };
  t.cols.push(col);
  st.log.push(`add column ${t.name}.${col.name} (${style})`);
  return true;
}

/** Renames a column and adds a new one under its old name. */
function renameColumnAndReAdd(st: StepState): boolean {
  if (avoid.has("re-add")) return false;
  const t = st.ch.pick(st.s.tables);
  const kept = keptCols(st, t).filter((c) => mayRename(st, t, c));
  if (kept.length === 0) return false;
  const col = st.ch.pick(kept);
  const old = col.name;
  if (heldByGone(old, t.cols, prevTable(st, t.id)!.cols)) return false;
  col.name = freshName(st.ch, st.s, "c");
  const at = t.cols.length;
  if (!addColumnTo(st, t)) {
    col.name = old;
    return false;
  }
  st.log.push(`rename column ${t.name}.${old} → ${col.name} and give ${t.cols[at].name}, just added, the name ${old}`);
  t.cols[at].name = old;
  return true;
}

/** True when a generated column of `t` is new in this step or computes something new. */
const generatedChanged = (st: StepState, t: Tbl) => t.cols.some((c) => c.gen && JSON.stringify(c.gen) !== JSON.stringify(prevCol(st, t, c.id)?.gen));

/** Whether PROPERTY_AVOID lets the generated columns of `t` change in this step. */
const mayChangeGenerated = (st: StepState, t: Tbl) => !(avoid.has("onto-dropped-generated") && st.ontoDropped.has(t.id));

/** Drops a column and gives its name to another column of the table. */
function renameColumnOntoDropped(st: StepState): boolean {
  if (avoid.has("onto-dropped")) return false;
  const t = st.ch.pick(st.s.tables);
  const candidates = keptCols(st, t).filter((c) => columnsDroppedWith(st, t, c));
  if (candidates.length === 0) return false;
  const gone = st.ch.pick(candidates);
  const dropped = columnsDroppedWith(st, t, gone)!;
  const isParentKey = (c: Col) => [...declaredRefsTo(st.s, t), ...declaredRefsTo(st.prev, t)].some((ref) => ref.refCols.includes(c.id));
  const heirs = keptCols(st, t).filter((c) => !dropped.includes(c) && mayRename(st, t, c) && !(avoid.has("onto-dropped-key") && isParentKey(c)));
  if (heirs.length === 0) return false;
  const heir = st.ch.pick(heirs);
  if (!colMayTake(st, t, heir, gone.name)) return false;
  if (avoid.has("onto-dropped-generated") && generatedChanged(st, t)) return false;
  st.ontoDropped.add(t.id);
  st.log.push(`drop column ${dropped.map((c) => `${t.name}.${c.name}`).join(", ")} and rename ${heir.name} → ${gone.name}`);
  dropColumnsNow(st, t, dropped);
  heir.name = gone.name;
  return true;
}

/**
 * The columns that go when `col` is dropped (it and the generated columns computed from it), or undefined when a
 * key or a foreign key needs it or the table would be left without columns.
 */
function columnsDroppedWith(st: StepState, t: Tbl, col: Col): Col[] | undefined {
  const needed = (c: Col) =>
    t.pk?.cols.includes(c.id) || st.s.tables.some((other) => other.refs.some((ref) => ref.declared && ref.table === t.id && ref.refCols.includes(c.id)));
  const dropped = [col, ...t.cols.filter((c) => c.gen?.from === col.id)];
  const nameTaken = (c: Col) => nameTakenByNew(prevCol(st, t, c.id)?.name, t.cols, prevTable(st, t.id)?.cols ?? []);
  return dropped.length >= t.cols.length || dropped.some(needed) || dropped.some(nameTaken) ? undefined : dropped;
}

/** True when `name` belonged before the step to an object that is gone: a new object under it would pass for it. */
function heldByGone(name: string, items: readonly { id: number }[], previous: readonly { id: number; name: string }[]): boolean {
  return previous.some((old) => old.name === name && !items.some((item) => item.id === old.id));
}

/**
 * True when an object that did not exist before the step holds `before`, the old name of one about to be dropped:
 * dropped, that one would be indistinguishable from the new one by name (generate would pair them), so it stays.
 */
function nameTakenByNew(before: string | undefined, items: readonly { id: number; name: string }[], previous: readonly { id: number }[]): boolean {
  return before !== undefined && items.some((item) => item.name === before && !previous.some((old) => old.id === item.id));
}

/** Removes columns and everything in their table that uses them. */
function dropColumnsNow(st: StepState, t: Tbl, dropped: readonly Col[]): void {
  for (const gone of dropped) {
    t.cols = t.cols.filter((c) => c !== gone);
    t.uniques = t.uniques.filter((u) => !u.includes(gone.id));
    t.indexes = t.indexes.filter((i) => i.where !== gone.id && !i.parts.some((p) => ("col" in p ? p.col : p.lower) === gone.id));
    t.checks = t.checks.filter((c) => !checkCols(c).includes(gone.id));
    for (const other of t.cols) if (other.check && checkCols(other.check).includes(gone.id)) delete other.check;
    t.refs = t.refs.filter((ref) => !ref.cols.includes(gone.id));
    for (const other of st.s.tables) other.refs = other.refs.filter((ref) => !(ref.table === t.id && ref.refCols.includes(gone.id)));
  }
}

function dropColumn(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  const candidates = t.cols.filter((c) => columnsDroppedWith(st, t, c));
  if (candidates.length === 0) return false;
  const dropped = columnsDroppedWith(st, t, st.ch.pick(candidates))!;
  dropColumnsNow(st, t, dropped);
  st.log.push(`drop column ${dropped.map((c) => `${t.name}.${c.name}`).join(", ")}`);
  return true;
}

/**
 * Conversions the planner calls widening that change values: integers beyond 2^53 into REAL, and reals into text
 * (SQLite writes a REAL with 15 significant digits; a NUMERIC column holds reals too).
 */
const lossyWidening = ["INTEGER→REAL", "REAL→TEXT", "REAL→BLOB", "NUMERIC→TEXT", "NUMERIC→BLOB"];

function changeType(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  const col = ch.pick(t.cols);
  if (col.gen || t.pk?.cols.includes(col.id)) return false;
  if (uniqueSets(t).some((set) => set.includes(col.id))) return false;
  if (t.refs.some((ref) => ref.declared && ref.cols.includes(col.id))) return false;
  if (s.tables.some((other) => other.refs.some((ref) => ref.declared && ref.table === t.id && ref.refCols.includes(col.id)))) return false;
  const kind = pickKind(ch, t.strict);
  if (kind === col.kind) return false;
  const before = prevCol(st, t, col.id);
  if (avoid.has("lossy-widening") && before && lossyWidening.includes(`${storageOf[before.kind]}→${storageOf[kind]}`)) return false;
  // The data no longer matches the latent links it was drawn from.
  t.refs = t.refs.filter((ref) => !ref.cols.includes(col.id));
  for (const other of s.tables) other.refs = other.refs.filter((ref) => !(ref.table === t.id && ref.refCols.includes(col.id)));
  if (!st.typeChanged.has(col.id) && prevCol(st, t, col.id)) st.typeChanged.set(col.id, { kind: col.kind, fits: col.fits });
  st.log.push(`change type ${t.name}.${col.name} ${col.kind} → ${kind}`);
  col.kind = kind;
  col.native = false;
  col.distinct = false;
  if (col.check?.kind === "type") delete col.check;
  t.checks = t.checks.filter((check) => !(check.kind === "type" && check.col === col.id));
  if (col.dflt) {
    if (col.notNull || ch.chance(0.5)) col.dflt = pickDefault(ch, kind);
    else delete col.dflt;
  }
  return true;
}

function toggleNotNull(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  const col = ch.pick(t.cols);
  if (col.gen) return false;
  if (col.notNull) {
    col.notNull = false;
    st.log.push(`drop NOT NULL ${t.name}.${col.name}`);
    return true;
  }
  const ref = refOf(t, col.id);
  // IFNULL(link, default) would point rows at a parent that may not exist.
  if (ref && col.nulls !== "none") return false;
  // Filling the NULLs with the default must keep every unique set unique.
  const distinctAfter = col.distinct && col.nulls !== "many";
  const sets = uniqueSets(t).filter((set) => set.includes(col.id));
  const stillUnique = sets.every((set) => set.some((id) => (id === col.id ? distinctAfter : colById(t, id).distinct)));
  if (!stillUnique && col.nulls !== "none") return false;
  const withoutDefault = ch.chance(0.04);
  const before = { ...col };
  if (withoutDefault) delete col.dflt;
  else if (!isConstantDefault(col.dflt) || isNullDefault(col.dflt)) col.dflt = pickDefault(ch, col.kind, true);
  col.notNull = true;
  if (!linksAllowed(t)) {
    Object.assign(col, before);
    if (!("dflt" in before)) delete col.dflt;
    return false;
  }
  col.distinct = distinctAfter;
  col.nulls = "none";
  st.log.push(`add NOT NULL ${t.name}.${col.name}${withoutDefault ? " without a default" : ""}`);
  return true;
}

function changeDefault(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  const col = ch.pick(t.cols);
  if (col.gen) return false;
  // A column added in this step to a table with rows gets its default in every row: a link column must stay NULL,
  // and a column in a unique set cannot take one value in every row.
  const added = prevTable(st, t.id) !== undefined && !prevCol(st, t, col.id);
  if (added && (refOf(t, col.id) || uniqueSets(t).some((set) => set.includes(col.id)))) return false;
  const before = col.dflt;
  if (col.dflt && ch.chance(0.4)) delete col.dflt;
  else col.dflt = pickDefault(ch, col.kind);
  if (!linksAllowed(t)) {
    col.dflt = before;
    if (before === undefined) delete col.dflt;
    return false;
  }
  if (added) {
    col.distinct = false;
    col.nulls = isNullDefault(col.dflt) ? "many" : "none";
  }
  st.log.push(`${col.dflt ? "set" : "drop"} default ${t.name}.${col.name}`);
  return true;
}

function toggleUnique(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (ch.chance(0.5)) {
    const col = ch.pick(t.cols);
    if (col.unique) {
      const without = { ...t, cols: t.cols.map((c) => (c === col ? { ...c, unique: false } : c)) };
      if (!keysStillServe(st, t, without)) return false;
      col.unique = false;
      st.log.push(`drop UNIQUE ${t.name}.${col.name}`);
      return true;
    }
    if (!col.distinct) return false;
    col.unique = true;
    st.log.push(`add UNIQUE ${t.name}.${col.name}`);
    return true;
  }
  if (t.uniques.length > 0 && ch.chance(0.5)) {
    const unique = ch.pick(t.uniques);
    const without = { ...t, uniques: t.uniques.filter((u) => u !== unique) };
    if (!keysStillServe(st, t, without)) return false;
    t.uniques = without.uniques;
    st.log.push(`drop composite UNIQUE on ${t.name}`);
    return true;
  }
  const anchors = t.cols.filter((c) => c.distinct);
  if (anchors.length === 0 || t.cols.length < 2) return false;
  const a = ch.pick(anchors);
  const b = ch.pick(t.cols.filter((c) => c.id !== a.id));
  t.uniques.push([a.id, b.id]);
  st.log.push(`add composite UNIQUE on ${t.name}`);
  return true;
}

function toggleCheck(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (ch.chance(0.5)) {
    const col = ch.pick(t.cols);
    if (col.gen || col.huge) return false;
    if (col.check && ch.chance(0.6)) {
      delete col.check;
      st.log.push(`drop CHECK of ${t.name}.${col.name}`);
      return true;
    }
    col.check = col.native && ch.chance(0.5) ? { kind: "type", col: col.id, as: col.kind } : { kind: "len", col: col.id };
    st.log.push(`set CHECK of ${t.name}.${col.name}`);
    return true;
  }
  if (t.checks.length > 0 && ch.chance(0.5)) {
    t.checks.splice(ch.int(0, t.checks.length - 1), 1);
    st.log.push(`drop table CHECK of ${t.name}`);
    return true;
  }
  const check = genTableCheck(ch, t);
  if (!check) return false;
  t.checks.push(check);
  st.log.push(`add table CHECK to ${t.name}`);
  return true;
}

function changeIndexes(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  const mode = ch.weighted([
    [40, "add"],
    [25, "drop"],
    [25, "alter"],
    [10, "rename"],
  ] as const);
  if (mode === "add" || t.indexes.length === 0) {
    const idx = genIndex(ch, s, t);
    if (!idx) return false;
    t.indexes.push(idx);
    st.log.push(`add index ${idx.name} on ${t.name}`);
    return true;
  }
  const at = ch.int(0, t.indexes.length - 1);
  const old = t.indexes[at];
  let replacement: Idx | undefined;
  if (mode === "alter") {
    const fresh = genIndex(ch, s, t);
    if (!fresh) return false;
    replacement = { ...fresh, name: old.name };
  } else if (mode === "rename") {
    replacement = { ...old, name: freshName(ch, s, "i") };
  }
  const indexes = replacement ? t.indexes.map((i) => (i === old ? replacement : i)) : t.indexes.filter((i) => i !== old);
  if (!keysStillServe(st, t, { ...t, indexes })) return false;
  t.indexes = indexes;
  st.log.push(`${mode} index ${old.name} on ${t.name}${replacement ? ` → ${replacement.name}` : ""}`);
  return true;
}

function changeGenerated(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (!mayChangeGenerated(st, t)) return false;
  const generated = t.cols.filter((c) => c.gen);
  if (generated.length === 0 || ch.chance(0.5)) {
    const col = addGenerated(ch, s, t);
    if (!col) return false;
    st.log.push(`add generated column ${t.name}.${col.name}${col.gen!.stored ? " STORED" : ""}`);
    return true;
  }
  const col = ch.pick(generated);
  if (ch.chance(0.5)) {
    col.gen = { ...col.gen!, stored: !col.gen!.stored };
  } else {
    col.gen = { ...col.gen!, from: ch.pick(t.cols.filter((c) => !c.gen)).id };
  }
  st.log.push(`change generated column ${t.name}.${col.name}`);
  return true;
}

/** A generated column that existed before the step becomes a plain one: it keeps the values it computed. */
function generatedToPlain(st: StepState): boolean {
  if (avoid.has("generated-to-plain")) return false;
  const t = st.ch.pick(st.s.tables);
  const candidates = t.cols.filter((c) => c.gen && prevCol(st, t, c.id)?.gen);
  if (candidates.length === 0) return false;
  const col = st.ch.pick(candidates);
  delete col.gen;
  // coalesce(length(x), -1): integers, never NULL.
  Object.assign(col, { native: false, fits: true, distinct: false, nulls: "none" });
  st.log.push(`make generated column ${t.name}.${col.name} a plain column`);
  return true;
}

/**
 * A plain column becomes generated (INTEGER, computed from another column): its values are replaced. Only a
 * column that no key, unique set, foreign key, CHECK or generated column uses.
 */
function plainToGenerated(st: StepState): boolean {
  if (avoid.has("plain-to-generated")) return false;
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (!mayChangeGenerated(st, t)) return false;
  const used = new Set([
    ...(t.pk?.cols ?? []),
    ...uniqueSets(t).flat(),
    ...t.refs.flatMap((ref) => ref.cols),
    ...s.tables.flatMap((other) => other.refs.filter((ref) => ref.table === t.id).flatMap((ref) => ref.refCols)),
    ...t.checks.flatMap(checkCols),
    ...t.cols.flatMap((c) => (c.gen ? [c.gen.from] : [])),
  ]);
  const candidates = t.cols.filter((c) => !c.gen && !used.has(c.id));
  if (candidates.length === 0) return false;
  const col = ch.pick(candidates);
  const sources = t.cols.filter((c) => !c.gen && c.id !== col.id);
  if (sources.length === 0) return false;
  col.gen = { from: ch.pick(sources).id, stored: ch.chance(0.4) };
  for (const key of ["dflt", "check", "huge"] as const) delete col[key];
  st.typeChanged.delete(col.id);
  Object.assign(col, { kind: "integer", notNull: false, unique: false, native: false, fits: true, distinct: false, nulls: "none" });
  st.log.push(`make ${t.name}.${col.name} a generated column${col.gen.stored ? " STORED" : ""}`);
  return true;
}

/** The schema file drops the renamedFrom hints that earlier steps left in it. */
function forgetHints(st: StepState): boolean {
  st.forgetHints = true;
  st.log.push("remove the hints of earlier renames");
  return true;
}

function toggleStrict(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  if (t.strict) {
    t.strict = false;
    st.log.push(`drop STRICT from ${t.name}`);
    return true;
  }
  // A column whose storage type changes in this step is CAST by the rebuild; any other must already fit.
  const cast = (c: Col) => {
    const before = st.typeChanged.get(c.id);
    return before !== undefined && storageOf[before.kind] !== storageOf[c.kind];
  };
  if (t.cols.some((c) => c.kind === "numeric" || (!c.fits && !cast(c)))) return false;
  // STRICT tables refuse NULL in the primary key.
  if (t.pk?.cols.some((id) => colById(t, id).nulls !== "none")) return false;
  t.strict = true;
  st.log.push(`make ${t.name} STRICT`);
  return true;
}

function toggleWithoutRowid(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  if (t.withoutRowid) {
    t.withoutRowid = false;
    st.log.push(`drop WITHOUT ROWID from ${t.name}`);
    return true;
  }
  if (!t.pk || t.pk.autoinc) return false;
  // WITHOUT ROWID tables refuse NULL in the primary key.
  if (t.pk.cols.some((id) => colById(t, id).nulls !== "none")) return false;
  t.withoutRowid = true;
  st.log.push(`make ${t.name} WITHOUT ROWID`);
  return true;
}

function changeRefs(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (t.refs.length === 0) return false;
  const ref = ch.pick(t.refs);
  const parent = tableById(s, ref.table);
  if (!parent) return false;
  const cols = ref.cols.map((id) => colById(t, id));
  if (!ref.declared) {
    if (!linkKeysOf(parent).some((key) => sameSet(key, ref.refCols))) return false;
    ref.declared = true;
    if (!actionFits(ref.onDelete, cols)) ref.onDelete = "NO ACTION";
    if (!actionFits(ref.onUpdate, cols)) ref.onUpdate = "NO ACTION";
    st.log.push(`declare foreign key ${t.name} → ${parent.name}`);
    return true;
  }
  if (ch.chance(0.4)) {
    ref.declared = false;
    st.log.push(`drop foreign key ${t.name} → ${parent.name}`);
    return true;
  }
  ref.onDelete = pickAction(ch, cols, ref.table === t.id);
  ref.onUpdate = ch.chance(0.5) ? pickAction(ch, cols, ref.table === t.id) : "NO ACTION";
  st.log.push(`change actions of ${t.name} → ${parent.name} to ${ref.onDelete}/${ref.onUpdate}`);
  return true;
}

function changePrimaryKey(st: StepState): boolean {
  const { ch, s } = st;
  const t = ch.pick(s.tables);
  if (t.pk) {
    if (t.withoutRowid) return false;
    if (!keysStillServe(st, t, { ...t, pk: undefined })) return false;
    st.log.push(`drop primary key of ${t.name}`);
    t.pk = undefined;
    return true;
  }
  const candidates = t.cols.filter((c) => c.distinct && c.nulls === "none" && (storageOf[c.kind] !== "INTEGER" || c.fits));
  if (candidates.length === 0) return false;
  const col = ch.pick(candidates);
  t.pk = { cols: [col.id], autoinc: col.kind === "integer" && ch.chance(0.3) };
  st.log.push(`make ${t.name}.${col.name} the primary key`);
  return true;
}

/** A column is declared with another type of the same affinity (or none): a rebuild that keeps every value. */
function redeclare(st: StepState): boolean {
  const t = st.ch.pick(st.s.tables);
  const col = st.ch.pick(t.cols);
  const pool = declaredTypes[storageOf[col.kind]];
  const declared = st.ch.chance(0.3) ? undefined : st.ch.pick(pool);
  if (declared === col.declared) return false;
  col.declared = declared;
  st.log.push(`declare ${t.name}.${col.name} ${declared === undefined ? "with its affinity's name" : JSON.stringify(declared)}`);
  return true;
}

const ops: [number, Op][] = [
  [6, addTable],
  [5, dropTable],
  [6, renameTable],
  [10, addColumn],
  [8, dropColumn],
  [6, renameColumn],
  [8, changeType],
  [7, toggleNotNull],
  [5, changeDefault],
  [5, toggleUnique],
  [5, toggleCheck],
  [7, changeIndexes],
  [3, toggleStrict],
  [3, toggleWithoutRowid],
  [5, changeRefs],
  [2, changePrimaryKey],
  [3, changeGenerated],
  [3, swapColumnNames],
  [2, rotateThreeColumnNames],
  [3, renameColumnAndReAdd],
  [3, renameColumnOntoDropped],
  [2, swapTableNames],
  [1, rotateThreeTableNames],
  [2, renameTableAndReAdd],
  [2, renameTableOntoDropped],
  [5, generatedToPlain],
  [3, plainToGenerated],
  [1, forgetHints],
  [3, redeclare],
];

export function evolve(prev: Schema, values: readonly number[]): Evolution {
  const ch = new Choices(values);
  const s = structuredClone(prev);
  const st: StepState = { prev, s, ch, log: [], typeChanged: new Map(), forgetHints: avoid.has("kept-hints"), ontoDropped: new Set() };
  const count = ch.int(1, 6);
  const applied: string[] = [];
  for (let n = 0, attempts = 0; n < count && attempts < 30; attempts++) {
    const op = s.tables.length === 0 ? addTable : ch.weighted(ops);
    if (op(st)) {
      n++;
      applied.push(op.name);
    }
  }
  // What the migration does to the values of columns whose type changed: CAST in a STRICT table, affinity elsewhere.
  for (const t of s.tables) {
    for (const col of t.cols) {
      const before = st.typeChanged.get(col.id);
      if (before) col.fits = t.strict || (storageOf[before.kind] === storageOf[col.kind] && before.fits);
    }
  }
  if (!settleHints(prev, s, st.forgetHints)) throw new Error(`an evolution renames with a hint that its schema already held: ${st.log.join("; ")}`);
  return { next: s, log: st.log, ops: applied };
}

/**
 * Writes the `renamedFrom` hints of `next`, evolved from `prev`, as a schema file holds them: a table or column
 * named differently than in `prev` names its old name; one that kept its name keeps the hint it had in `prev`
 * (hints stay in the file after they are applied) unless `forget`; a new one has none. False when generate could
 * not tell what happened from the names and hints: a hint that repeats the one `prev` holds under the same name (a
 * new rename or an old hint?), or a new object under the name of a dropped one (the same object?). The evolutions
 * never do that; a reduced scenario may.
 */
export function settleHints(prev: Schema, next: Schema, forget: boolean): boolean {
  const settle = <T extends { id: number; name: string; renamedFrom?: string }>(item: T, previous: readonly T[], current: readonly T[]): boolean => {
    const before = previous.find((other) => other.id === item.id);
    // A new object under the name of one that is gone: generate pairs them by name.
    if (!before && previous.some((old) => old.name === item.name && !current.some((other) => other.id === old.id))) return false;
    if (before && before.name !== item.name) {
      item.renamedFrom = before.name;
      return hintIsNew(previous, before.name, item.name);
    }
    if (!before || forget || item.renamedFrom !== before.renamedFrom) delete item.renamedFrom;
    return true;
  };
  let ok = true;
  for (const t of next.tables) {
    ok = settle(t, prev.tables, next.tables) && ok;
    const pt = tableById(prev, t.id);
    for (const col of t.cols) ok = settle(col, pt?.cols ?? [], t.cols) && ok;
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------------------------
// The spec as DSL tables, and as a model
// ---------------------------------------------------------------------------------------------------------------

const builders: Record<Kind, (declared?: string) => ColumnBuilder> = {
  text,
  integer,
  real,
  blob,
  numeric,
  boolean,
  json: (declared) => json("unknown", declared),
  timestamp_iso: (declared) => timestamp("iso", declared),
  timestamp_unix: (declared) => timestamp("unix", declared),
};

/**
 * The column's declared type where it may stand: of the affinity of the column's current kind, allowed in a STRICT
 * table if the table is one, and never on a single-column primary key, whose rowid nature the generator's knowledge
 * of the rows assumes from the kind (hasHiddenRowid).
 */
export function declaredTypeOf(t: Tbl, col: Col): string | undefined {
  const declared = col.declared;
  if (declared === undefined || !declaredTypes[storageOf[col.kind]].includes(declared)) return undefined;
  if (t.pk?.cols.length === 1 && t.pk.cols[0] === col.id) return undefined;
  if (t.strict && !["INT", "INTEGER", "REAL", "TEXT", "BLOB"].includes(declared)) return undefined;
  return declared;
}

export function tableDefinitions(s: Schema): TableDefinition[] {
  return s.tables.map((t) => {
    const nameOf = (id: number) => colById(t, id).name;
    const clauses = conflictsOf(t);
    const columns: Record<string, ColumnBuilder> = {};
    for (const col of t.cols) {
      let b = builders[col.kind](declaredTypeOf(t, col));
      if (t.pk?.cols.length === 1 && t.pk.cols[0] === col.id) {
        b = b.primaryKey({ ...(keyDesc(t) ? { desc: true } : {}), ...clauses.key() });
        if (t.pk.autoinc) b = b.autoincrement();
      }
      if (col.notNull) b = b.notNull(conflict.notNull(col));
      if (col.unique) b = b.unique(clauses.unique(col));
      if (col.dflt) b = "value" in col.dflt ? b.default(col.dflt.value) : b.defaultSql(col.dflt.sql);
      if (col.check) b = b.check(checkSql(col.check, nameOf), named(names.columnCheck(col), {}));
      if (col.gen) b = b.generatedAs(genSql(col.gen, nameOf), { stored: col.gen.stored });
      for (const ref of t.refs) {
        if (ref.declared && ref.cols.length === 1 && ref.cols[0] === col.id) {
          const parent = tableById(s, ref.table)!;
          b = b.references(
            parent.name,
            colById(parent, ref.refCols[0]).name,
            named(names.link(t, ref), { onDelete: ref.onDelete, onUpdate: ref.onUpdate, ...deferredLink(t) }),
          );
        }
      }
      if (col.renamedFrom !== undefined) b = b.renamedFrom(col.renamedFrom);
      columns[col.name] = b;
    }
    const foreignKeys: ForeignKeySpec[] = t.refs
      .filter((ref) => ref.declared && ref.cols.length > 1)
      .map((ref) => {
        const parent = tableById(s, ref.table)!;
        return named(names.link(t, ref), {
          columns: ref.cols.map(nameOf),
          references: { table: parent.name, columns: ref.refCols.map((id) => colById(parent, id).name) },
          onDelete: ref.onDelete,
          onUpdate: ref.onUpdate,
          ...deferredLink(t),
        });
      });
    const indexes: IndexBuilder[] = t.indexes.map((i) => {
      let b = index(i.name).on(...i.parts.map((p) => ("lower" in p ? expr(`lower(${q(nameOf(p.lower))})`) : p.desc ? desc(nameOf(p.col)) : nameOf(p.col))));
      if (i.unique) b = b.unique();
      if (i.where !== undefined) b = b.where(`${q(nameOf(i.where))} IS NOT NULL`);
      return b;
    });
    return table(t.name, columns, {
      ...(t.pk && t.pk.cols.length > 1 ? { primaryKey: { columns: t.pk.cols.map(nameOf), ...clauses.key() } } : {}),
      ...(t.uniques.length > 0 ? { unique: t.uniques.map((u, position) => ({ columns: u.map(nameOf), ...clauses.uniques(position) })) } : {}),
      ...(t.checks.length > 0
        ? {
            checks: t.checks.map((c, position) =>
              names.tableCheck(t, position) ? { expression: checkSql(c, nameOf), name: names.tableCheck(t, position)! } : checkSql(c, nameOf),
            ),
          }
        : {}),
      ...(foreignKeys.length > 0 ? { foreignKeys } : {}),
      ...(indexes.length > 0 ? { indexes } : {}),
      ...(t.strict ? { strict: true } : {}),
      ...(t.withoutRowid ? { withoutRowid: true } : {}),
      ...(t.renamedFrom !== undefined ? { renamedFrom: t.renamedFrom } : {}),
    });
  });
}

/**
 * Constraint names (issue 16), given from ids so that the choice streams stay as they were: the CHECKs and foreign
 * keys of even-numbered tables and the CHECK of one column in four are named. A CHECK or link added, dropped or
 * moved before another renames the ones after it, as a schema's author might.
 */
const names = {
  tableCheck: (t: Tbl, position: number) => (t.id % 2 === 0 ? `ck${t.id}_${position}` : undefined),
  columnCheck: (col: Col) => (col.id % 4 === 1 ? `ck${col.id}` : undefined),
  link: (t: Tbl, ref: Ref) => (t.id % 2 === 0 ? `fk${t.id}_${ref.cols.join("_")}` : undefined),
};
const named = <T extends object>(name: string | undefined, value: T): T => (name === undefined ? value : { ...value, name });
/**
 * DEFERRABLE INITIALLY DEFERRED (issue 16) on every foreign key of one table in three, from its id like the names, so
 * the choice streams stay as they were. Rows are written one statement at a time, so a deferred key fails where an
 * immediate one does; a rebuild defers every key anyway.
 */
const deferredLink = (t: Tbl): { deferred?: true } => (t.id % 3 === 1 ? { deferred: true } : {});
/**
 * ON CONFLICT clauses (issue 16), from ids like the names, so the choice streams stay as they were: on the NOT NULL
 * of one column in five, the UNIQUE of one in seven, the primary key of one table in five and a composite UNIQUE by
 * its first column. Every algorithm is drawn. The rows never conflict (they satisfy every constraint), so they
 * behave as without the clause; what is tested is that the clause goes through the squash, the diff, introspection
 * and the rebuild's copy (INSERT OR ABORT, so REPLACE or IGNORE cannot delete or skip a row there).
 */
const algorithms = ["abort", "replace", "ignore", "fail", "rollback"] as const;
const algorithmOf = (id: number, every: number, at: number): { onConflict?: (typeof algorithms)[number] } =>
  id % every === at ? { onConflict: algorithms[Math.floor(id / every) % algorithms.length] } : {};
type Clause = ReturnType<typeof algorithmOf>;
/**
 * The clauses of `t`'s constraints. SQLite merges a PRIMARY KEY and UNIQUEs on the same columns (in the same order)
 * into one index and refuses two different clauses on it ("conflicting ON CONFLICT clauses specified"); a clause
 * that would meet another is left out, in the order SQLite reads them (the key, the columns' UNIQUEs, the table's).
 */
function conflictsOf(t: Tbl) {
  const held = new Map<string, string | undefined>();
  const decide = (columns: readonly number[], wanted: Clause): Clause => {
    const key = columns.join(",");
    const earlier = held.get(key);
    if (earlier !== undefined && wanted.onConflict !== undefined && wanted.onConflict !== earlier) return {};
    if (earlier === undefined) held.set(key, wanted.onConflict);
    return wanted;
  };
  const key = t.pk ? decide(t.pk.cols, algorithmOf(t.id, 5, 4)) : {};
  const columns = new Map(t.cols.filter((col) => col.unique).map((col) => [col.id, decide([col.id], algorithmOf(col.id, 7, 3))]));
  const uniques = t.uniques.map((columnIds) => decide(columnIds, algorithmOf(columnIds[0] + t.id, 3, 1)));
  return {
    key: () => key,
    unique: (col: Col) => columns.get(col.id) ?? {},
    uniques: (position: number) => uniques[position],
  };
}
const conflict = { notNull: (col: Col) => algorithmOf(col.id, 5, 2) };
/**
 * `PRIMARY KEY DESC` (issue 16) on the single-column key of one table in four, from its id: SQLite keeps it, and an
 * `INTEGER PRIMARY KEY DESC` is not the rowid (hasHiddenRowid), so its table has rowids of its own and its key may
 * hold NULLs. Never on AUTOINCREMENT, which needs the rowid.
 */
const keyDesc = (t: Tbl): boolean => t.id % 4 === 3 && t.pk?.cols.length === 1 && !t.pk.autoinc;

export const modelOfSchema = (s: Schema, options: { prove?: boolean } = {}): Database => modelOf(tableDefinitions(s), {}, options);

/** The spec as schema-file code, for failure reports. */
export function schemaSource(s: Schema): string {
  const lit = (value: unknown) => JSON.stringify(value);
  return s.tables
    .map((t) => {
      const nameOf = (id: number) => colById(t, id).name;
      const clauses = conflictsOf(t);
      const cols = t.cols.map((col) => {
        const declared = declaredTypeOf(t, col);
        const args = declared === undefined ? "" : lit(declared);
        let code =
          col.kind === "timestamp_iso"
            ? `timestamp("iso"${args && `, ${args}`})`
            : col.kind === "timestamp_unix"
              ? `timestamp("unix"${args && `, ${args}`})`
              : col.kind === "json"
                ? `json(${args && `"unknown", ${args}`})`
                : `${col.kind}(${args})`;
        const options = (value: object) => (Object.keys(value).length > 0 ? lit(value) : "");
        if (t.pk?.cols.length === 1 && t.pk.cols[0] === col.id) {
          code += `.primaryKey(${options({ ...(keyDesc(t) ? { desc: true } : {}), ...clauses.key() })})${t.pk.autoinc ? ".autoincrement()" : ""}`;
        }
        if (col.notNull) code += `.notNull(${options(conflict.notNull(col))})`;
        if (col.unique) code += `.unique(${options(clauses.unique(col))})`;
        if (col.dflt) code += "value" in col.dflt ? `.default(${lit(col.dflt.value)})` : `.defaultSql(${lit(col.dflt.sql)})`;
        if (col.check) code += `.check(${lit(checkSql(col.check, nameOf))}${names.columnCheck(col) ? `, { name: ${lit(names.columnCheck(col))} }` : ""})`;
        if (col.gen) code += `.generatedAs(${lit(genSql(col.gen, nameOf))}${col.gen.stored ? ", { stored: true }" : ""})`;
        for (const ref of t.refs) {
          if (ref.declared && ref.cols.length === 1 && ref.cols[0] === col.id) {
            const parent = tableById(s, ref.table)!;
            code += `.references(${lit(parent.name)}, ${lit(colById(parent, ref.refCols[0]).name)}, ${lit(named(names.link(t, ref), { onDelete: ref.onDelete, onUpdate: ref.onUpdate, ...deferredLink(t) }))})`;
          }
        }
        if (col.renamedFrom !== undefined) code += `.renamedFrom(${lit(col.renamedFrom)})`;
        return `    ${lit(col.name)}: ${code},`;
      });
      const options: string[] = [];
      if (t.pk && t.pk.cols.length > 1) options.push(`primaryKey: ${lit({ columns: t.pk.cols.map(nameOf), ...clauses.key() })}`);
      if (t.uniques.length > 0) options.push(`unique: ${lit(t.uniques.map((u, position) => ({ columns: u.map(nameOf), ...clauses.uniques(position) })))}`);
      if (t.checks.length > 0) {
        options.push(`checks: ${lit(t.checks.map((c, position) => named(names.tableCheck(t, position), { expression: checkSql(c, nameOf) })))}`);
      }
      const composite = t.refs.filter((ref) => ref.declared && ref.cols.length > 1);
      if (composite.length > 0) {
        options.push(
          `foreignKeys: [${composite
            .map((ref) => {
              const parent = tableById(s, ref.table)!;
              return `{ columns: ${lit(ref.cols.map(nameOf))}, references: { table: ${lit(parent.name)}, columns: ${lit(ref.refCols.map((id) => colById(parent, id).name))} }, onDelete: ${lit(ref.onDelete)}, onUpdate: ${lit(ref.onUpdate)}${names.link(t, ref) ? `, name: ${lit(names.link(t, ref))}` : ""}${deferredLink(t).deferred ? ", deferred: true" : ""} }`;
            })
            .join(", ")}]`,
        );
      }
      if (t.indexes.length > 0) {
        options.push(
          `indexes: [${t.indexes
            .map((i) => {
              const parts = i.parts.map((p) =>
                "lower" in p ? `expr(${lit(`lower(${q(nameOf(p.lower))})`)})` : p.desc ? `desc(${lit(nameOf(p.col))})` : lit(nameOf(p.col)),
              );
              return `index(${lit(i.name)}).on(${parts.join(", ")})${i.unique ? ".unique()" : ""}${i.where !== undefined ? `.where(${lit(`${q(nameOf(i.where))} IS NOT NULL`)})` : ""}`;
            })
            .join(", ")}]`,
        );
      }
      if (t.strict) options.push("strict: true");
      if (t.withoutRowid) options.push("withoutRowid: true");
      if (t.renamedFrom !== undefined) options.push(`renamedFrom: ${lit(t.renamedFrom)}`);
      const unseen = t.refs.filter((ref) => !ref.declared).map((ref) => `${ref.cols.map(nameOf).join(",")} ~> ${tableById(s, ref.table)?.name}`);
      return `table(${lit(t.name)}, {\n${cols.join("\n")}\n  }${options.length > 0 ? `, { ${options.join(", ")} }` : ""}),${unseen.length > 0 ? ` // values drawn from (undeclared): ${unseen.join("; ")}` : ""}`;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------------------

/** A row to insert (column id → SQL literal; omitted columns take their default), or an AUTOINCREMENT counter bump. */
export type RowSpec = { table: number; values: [number, string][] } | { sequence: number };

/**
 * Rows for a database built from `s` that satisfy every declared constraint and everything the spec says about the
 * data. A row is left out only when a NOT NULL reference has no parent row to point at.
 */
export function genRows(s: Schema, values: readonly number[]): RowSpec[] {
  const ch = new Choices(values);
  const out: RowSpec[] = [];
  const inserted = new Map<number, Map<number, string>[]>();
  for (const t of s.tables) {
    const rows: Map<number, string>[] = [];
    inserted.set(t.id, rows);
    const counters = new Map<number, number>();
    const nullsUsed = new Map<number, number>();
    const hugeUsed = new Set<number>();
    const usedParents = new Map<Ref, Set<string>>();
    const count = ch.int(0, 8);
    const mayBeNull = (col: Col) => !col.notNull && col.nulls !== "none" && (col.nulls === "many" || (nullsUsed.get(col.id) ?? 0) === 0);
    rowLoop: for (let n = 0; n < count; n++) {
      const row = new Map<number, string>();
      for (const ref of t.refs) {
        const parentRows = inserted.get(ref.table) ?? [];
        const used = usedParents.get(ref) ?? new Set<string>();
        usedParents.set(ref, used);
        const candidates = parentRows
          .map((parentRow) => ref.refCols.map((id) => parentRow.get(id)))
          .filter((key): key is string[] => key.every((value) => value !== undefined && value !== "NULL"))
          .filter((key) => !ref.distinct || !used.has(key.join("\u0000")));
        const cols = ref.cols.map((id) => colById(t, id));
        const canBeNull = cols.every(mayBeNull);
        if (candidates.length > 0 && !(canBeNull && ch.chance(0.2))) {
          const key = ch.pick(candidates);
          used.add(key.join("\u0000"));
          ref.cols.forEach((id, at) => row.set(id, key[at]));
        } else if (canBeNull) {
          ref.cols.forEach((id) => row.set(id, "NULL"));
        } else {
          continue rowLoop;
        }
      }
      const autoincrement = t.pk?.autoinc ? t.pk.cols[0] : undefined;
      for (const col of t.cols) {
        if (row.has(col.id) || col.id === autoincrement || col.gen) continue;
        if (col.distinct) {
          if (mayBeNull(col) && ch.chance(0.15)) {
            row.set(col.id, "NULL");
          } else {
            const k = counters.get(col.id) ?? 0;
            counters.set(col.id, k + 1);
            row.set(col.id, distinctValue(col.kind, k));
          }
        } else if (mayBeNull(col) && ch.chance(0.2)) {
          row.set(col.id, "NULL");
        } else if (col.dflt && !("sql" in col.dflt && col.dflt.sql === "NULL") && ch.chance(0.2)) {
          // Left to its default.
        } else if (col.huge && !hugeUsed.has(col.id)) {
          hugeUsed.add(col.id);
          row.set(col.id, hugeValue(col.kind));
        } else {
          row.set(col.id, ch.pick(poolValues[col.kind]));
        }
      }
      for (const [id, value] of row) if (value === "NULL") nullsUsed.set(id, (nullsUsed.get(id) ?? 0) + 1);
      out.push({ table: t.id, values: [...row] });
      // The id SQLite gives the row: ids count up from 1 in a new table.
      if (autoincrement !== undefined) row.set(autoincrement, String(rows.length + 1));
      rows.push(row);
    }
    // As if rows had been deleted: the counter stays above the largest id, and a rebuild must keep it there.
    if (t.pk?.autoinc && ch.chance(0.5)) out.push({ sequence: t.id });
  }
  return out;
}

/** Thrown when rows do not fit their schema: a bug in the generators, or a reduction that went too far. */
export class RowsRejected extends Error {}

/** Inserts `rows` into a database built from `s`; returns the statements, for reports. */
export function insertRows(db: SqliteDatabase, s: Schema, rows: readonly RowSpec[]): string[] {
  const statements: string[] = [];
  for (const row of rows) {
    let sql: string;
    if ("sequence" in row) {
      const t = tableById(s, row.sequence);
      if (!t) continue;
      const exists =
        db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get() !== undefined &&
        db.prepare("SELECT 1 FROM sqlite_sequence WHERE name = ?").get(t.name) !== undefined;
      sql = exists ? `UPDATE sqlite_sequence SET seq = seq + 10 WHERE name = '${t.name}'` : `INSERT INTO sqlite_sequence (name, seq) VALUES ('${t.name}', 10)`;
    } else {
      const t = tableById(s, row.table);
      if (!t) continue;
      const values = row.values.filter(([id]) => t.cols.some((c) => c.id === id));
      sql =
        values.length > 0
          ? `INSERT INTO ${q(t.name)} (${values.map(([id]) => q(colById(t, id).name)).join(", ")}) VALUES (${values.map(([, value]) => value).join(", ")})`
          : `INSERT INTO ${q(t.name)} DEFAULT VALUES`;
    }
    try {
      db.exec(sql);
    } catch (error) {
      throw new RowsRejected(`row generator bug: ${sql} fails: ${(error as Error).message}`);
    }
    statements.push(`${sql};`);
  }
  return statements;
}

// ---------------------------------------------------------------------------------------------------------------
// Minimizing a failing scenario
// ---------------------------------------------------------------------------------------------------------------

/** A whole case: the first schema, its rows, and the evolutions applied one after the other. */
export interface Scenario {
  schemas: Schema[];
  rows: RowSpec[];
  /** Each step runs generate without --allow-destructive first, and with it only once that was refused. */
  refuse?: boolean;
}

const mapSchemas = (sc: Scenario, change: (s: Schema) => Schema | undefined): Scenario | undefined => {
  const schemas: Schema[] = [];
  for (const s of sc.schemas) {
    const changed = change(structuredClone(s));
    if (!changed) return undefined;
    schemas.push(changed);
  }
  return { schemas, rows: sc.rows };
};

function withoutTable(s: Schema, id: number): Schema {
  s.tables = s.tables.filter((t) => t.id !== id);
  for (const t of s.tables) t.refs = t.refs.filter((ref) => ref.table !== id);
  return s;
}

function withoutColumn(s: Schema, tableId: number, colId: number): Schema | undefined {
  const t = tableById(s, tableId);
  if (!t || !t.cols.some((c) => c.id === colId)) return s;
  if (t.cols.length === 1) return undefined;
  for (const dependent of t.cols.filter((c) => c.gen?.from === colId)) {
    if (!withoutColumn(s, tableId, dependent.id)) return undefined;
  }
  t.cols = t.cols.filter((c) => c.id !== colId);
  if (t.pk?.cols.includes(colId)) {
    t.pk = undefined;
    t.withoutRowid = false;
  }
  t.uniques = t.uniques.filter((u) => !u.includes(colId));
  t.indexes = t.indexes.filter((i) => i.where !== colId && !i.parts.some((p) => ("col" in p ? p.col : p.lower) === colId));
  t.checks = t.checks.filter((c) => !checkCols(c).includes(colId));
  for (const c of t.cols) if (c.check && checkCols(c.check).includes(colId)) delete c.check;
  t.refs = t.refs.filter((ref) => !ref.cols.includes(colId));
  for (const other of s.tables) other.refs = other.refs.filter((ref) => !(ref.table === tableId && ref.refCols.includes(colId)));
  return s;
}

/**
 * Smaller variants of a scenario, most promising first: fewer evolutions, tables, rows and columns, then fewer
 * indexes, checks, keys and links, simpler columns, and changes reverted to the previous schema.
 */
export function* reductions(sc: Scenario): Generator<Scenario> {
  for (const candidate of candidateReductions(sc)) {
    // A reduction may leave a hint that no longer names the old name (a rename reverted in one step but not in the
    // next): the hints are written again from the identities, as the evolutions write them.
    const schemas = structuredClone(candidate.schemas);
    if (schemas.every((s, at) => at === 0 || settleHints(schemas[at - 1], s, false))) yield { ...candidate, schemas, refuse: sc.refuse };
  }
  if (sc.refuse) yield { ...sc, refuse: false };
}

function* candidateReductions(sc: Scenario): Generator<Scenario> {
  const { schemas, rows } = sc;
  for (let at = schemas.length - 1; at >= 1 && schemas.length > 2; at--) yield { schemas: schemas.filter((_, i) => i !== at), rows };
  const all = <T>(pick: (s: Schema) => T[]) => [...new Map(schemas.flatMap(pick).map((item) => [JSON.stringify(item), item])).values()];
  const tableIds = all((s) => s.tables.map((t) => t.id));
  for (const id of tableIds) {
    const reduced = mapSchemas(sc, (s) => withoutTable(s, id));
    if (reduced) yield { ...reduced, rows: rows.filter((row) => ("table" in row ? row.table : row.sequence) !== id) };
  }
  for (let size = Math.floor(rows.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let at = rows.length - size; at >= 0; at -= size) yield { schemas, rows: [...rows.slice(0, at), ...rows.slice(at + size)] };
  }
  const columns = all((s) => s.tables.flatMap((t) => t.cols.map((c) => [t.id, c.id] as const)));
  for (const [tableId, colId] of columns) {
    const reduced = mapSchemas(sc, (s) => withoutColumn(s, tableId, colId));
    if (reduced) {
      yield {
        ...reduced,
        rows: rows.map((row) => ("table" in row && row.table === tableId ? { ...row, values: row.values.filter(([id]) => id !== colId) } : row)),
      };
    }
  }
  // Changes reverted: a table or a column of an evolution as it was in the schema before.
  for (let at = 1; at < schemas.length; at++) {
    for (const t of schemas[at].tables) {
      const before = tableById(schemas[at - 1], t.id);
      if (!before) continue;
      if (JSON.stringify({ ...before, name: t.name, renamedFrom: t.renamedFrom }) !== JSON.stringify(t)) {
        const reverted = structuredClone(schemas);
        reverted[at].tables = reverted[at].tables.map((other) =>
          other.id === t.id ? { ...structuredClone(before), name: t.name, renamedFrom: t.renamedFrom } : other,
        );
        yield { schemas: reverted, rows };
      }
      if (before.name !== t.name) {
        const reverted = structuredClone(schemas);
        const target = tableById(reverted[at], t.id)!;
        target.name = before.name;
        delete target.renamedFrom;
        yield { schemas: reverted, rows };
      }
      for (const col of t.cols) {
        const old = before.cols.find((c) => c.id === col.id);
        if (!old || JSON.stringify(old) === JSON.stringify(col)) continue;
        const reverted = structuredClone(schemas);
        const target = tableById(reverted[at], t.id)!;
        target.cols = target.cols.map((c) => (c.id === col.id ? structuredClone(old) : c));
        yield { schemas: reverted, rows };
      }
    }
  }
  /** The scenario with `change` applied to every schema, when it changes any. */
  const simplify = function* (change: (s: Schema) => boolean): Generator<Scenario> {
    let changedAny = false;
    const reduced = mapSchemas(sc, (s) => {
      if (change(s)) changedAny = true;
      return s;
    });
    if (reduced && changedAny) yield reduced;
  };
  for (const name of all((s) => s.tables.flatMap((t) => t.indexes.map((i) => i.name)))) {
    yield* simplify((s) => s.tables.some((t) => t.indexes.length !== (t.indexes = t.indexes.filter((i) => i.name !== name)).length));
  }
  for (const check of all((s) => s.tables.flatMap((t) => t.checks))) {
    const key = JSON.stringify(check);
    yield* simplify((s) => s.tables.some((t) => t.checks.length !== (t.checks = t.checks.filter((c) => JSON.stringify(c) !== key)).length));
  }
  for (const unique of all((s) => s.tables.flatMap((t) => t.uniques))) {
    const key = JSON.stringify(unique);
    yield* simplify((s) => s.tables.some((t) => t.uniques.length !== (t.uniques = t.uniques.filter((u) => JSON.stringify(u) !== key)).length));
  }
  for (const ref of all((s) => s.tables.flatMap((t) => t.refs.map((r) => ({ cols: r.cols, table: r.table }))))) {
    const key = JSON.stringify(ref);
    yield* simplify((s) =>
      s.tables.some((t) => t.refs.length !== (t.refs = t.refs.filter((r) => JSON.stringify({ cols: r.cols, table: r.table }) !== key)).length),
    );
  }
  for (const id of tableIds) {
    const eachTable = (change: (t: Tbl) => boolean) => (s: Schema) => {
      const t = tableById(s, id);
      return t ? change(t) : false;
    };
    yield* simplify(eachTable((t) => t.pk !== undefined && (delete t.pk, (t.withoutRowid = false), true)));
    yield* simplify(eachTable((t) => t.pk?.autoinc === true && !(t.pk.autoinc = false)));
    yield* simplify(eachTable((t) => t.strict && !(t.strict = false)));
    yield* simplify(eachTable((t) => t.withoutRowid && !(t.withoutRowid = false)));
  }
  for (const [tableId, colId] of columns) {
    const eachCol = (change: (c: Col) => boolean) => (s: Schema) => {
      const c = tableById(s, tableId)?.cols.find((col) => col.id === colId);
      return c ? change(c) : false;
    };
    yield* simplify(eachCol((c) => c.check !== undefined && (delete c.check, true)));
    yield* simplify(eachCol((c) => c.dflt !== undefined && (delete c.dflt, true)));
    yield* simplify(eachCol((c) => c.notNull && !(c.notNull = false)));
    yield* simplify(eachCol((c) => c.unique && !(c.unique = false)));
    yield* simplify(
      eachCol((c) => !c.gen && c.kind !== "text" && c.kind !== "integer" && ((c.kind = storageOf[c.kind] === "INTEGER" ? "integer" : "text"), true)),
    );
    yield* simplify(eachCol((c) => c.gen?.stored === true && !(c.gen.stored = false)));
  }
}
