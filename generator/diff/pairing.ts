// Matching old and new tables or columns: by name, or through a `renamedFrom` hint.
//
// Hints stay in schema files after their migration, and the snapshot stores them, so a hint is new only when the
// old object of the same name does not already carry it. A new hint that names an old object takes that object,
// whatever else holds its name or the object's own name: that is how swaps (a↔b), cycles (a→b→c→a) and renames
// with the old name re-added are said. An applied hint only keeps its object under its own name, so generating
// again after a swap does not swap back. A hint that cannot be honoured is an error, never ignored.
import { SchemaError, type ErrorLocation } from "../model/errors.js";
import type { Column, Database, Table } from "../model/model.js";

/** An old object and the new object it became. */
export interface Pair<T> {
  from: T;
  to: T;
}

export interface Pairing<T> {
  pairs: Pair<T>[];
  created: T[];
  dropped: T[];
}

export interface PairingOptions {
  /**
   * Whether a hint on a new object that names nothing in the old model is an error (the default). A live database
   * (drift) may be several migrations behind its schema, and its hints name objects it has not seen yet.
   */
  strictHints?: boolean;
}

interface Named {
  name: string;
  renamedFrom?: string;
}

interface Scope {
  kind: "table" | "column";
  location: (name: string) => ErrorLocation;
  /** For messages: where the old objects are, e.g. "the database" or "table users". */
  oldPlace: string;
  strictHints: boolean;
}

type Hint<T> =
  | { kind: "none" }
  /** The old object of the same name carries the same hint: its migration was generated already. */
  | { kind: "applied"; hint: string }
  | { kind: "claims"; old: T }
  /** A new hint that names no old object. */
  | { kind: "unknown"; hint: string };

export function pairTables(from: Database, to: Database, options: PairingOptions = {}): Pairing<Table> {
  // A database's first migration has nothing to rename: its hints describe a history it does not have.
  const strictHints = (options.strictHints ?? true) && from.tables.length > 0;
  return pairObjects(from.tables, to.tables, { kind: "table", location: (table) => ({ database: to.name, table }), oldPlace: "the database", strictHints });
}

/** The columns of a table pair; `database` names the database for errors. */
export function pairColumns(database: string, from: Table, to: Table, options: PairingOptions = {}): Pairing<Column> {
  return pairObjects(from.columns, to.columns, {
    kind: "column",
    location: (column) => ({ database, table: to.name, column }),
    oldPlace: `table ${from.name}`,
    strictHints: options.strictHints ?? true,
  });
}

function pairObjects<T extends Named>(oldItems: readonly T[], newItems: readonly T[], scope: Scope): Pairing<T> {
  const oldByName = new Map(oldItems.map((item) => [item.name, item]));
  const oldByLowerName = new Map(oldItems.map((item) => [item.name.toLowerCase(), item]));
  const hints = new Map(newItems.map((item) => [item, readHint(item, oldByName)]));
  const claimedBy = new Map<string, T>();
  for (const item of newItems) {
    const hint = hints.get(item)!;
    if (hint.kind !== "claims") continue;
    const rival = claimedBy.get(hint.old.name);
    if (rival) throw claimedTwice(scope, hint.old.name, rival, item);
    claimedBy.set(hint.old.name, item);
  }
  const pairs: Pair<T>[] = [];
  const created: T[] = [];
  for (const item of newItems) {
    const hint = hints.get(item)!;
    if (hint.kind === "claims") {
      pairs.push({ from: hint.old, to: item });
      continue;
    }
    // SQLite compares names without case: `Users` becoming `users` is the same table under its new spelling (a
    // rename), never a drop of one and a create of the other, which would be one name in SQLite.
    const sameName = oldByName.get(item.name) ?? oldByLowerName.get(item.name.toLowerCase());
    if (sameName && !claimedBy.has(sameName.name)) {
      pairs.push({ from: sameName, to: item });
      continue;
    }
    if (hint.kind === "applied") throw keptAndClaimed(scope, item, hint.hint, claimedBy.get(item.name)!);
    if (hint.kind === "unknown" && scope.strictHints) throw namesNothing(scope, item, hint.hint, oldItems, newItems, claimedBy);
    created.push(item);
  }
  const matched = new Set(pairs.map((pair) => pair.from.name));
  return { pairs, created, dropped: oldItems.filter((item) => !matched.has(item.name)) };
}

function readHint<T extends Named>(item: T, oldByName: ReadonlyMap<string, T>): Hint<T> {
  const hint = item.renamedFrom;
  if (hint === undefined || hint === item.name) return { kind: "none" };
  if (oldByName.get(item.name)?.renamedFrom === hint) return { kind: "applied", hint };
  const old = oldByName.get(hint);
  return old ? { kind: "claims", old } : { kind: "unknown", hint };
}

const hintText = (scope: Scope, name: string) => (scope.kind === "table" ? `renamedFrom: "${name}"` : `.renamedFrom("${name}")`);

function claimedTwice<T extends Named>(scope: Scope, old: string, first: T, second: T): SchemaError {
  return new SchemaError(
    scope.location(second.name),
    `says ${hintText(scope, old)}, and so does ${scope.kind} ${first.name}: ${old} can become only one of them`,
    `keep the hint on the ${scope.kind} that holds ${old}'s data and remove it from the other, which is then created empty`,
  );
}

function keptAndClaimed<T extends Named>(scope: Scope, kept: T, hint: string, claimant: T): SchemaError {
  const old = kept.name;
  return new SchemaError(
    scope.location(claimant.name),
    `says ${hintText(scope, old)}, but ${scope.kind} ${old} is still in the schema with ${hintText(scope, hint)}, ` +
      `which an earlier migration applied and which keeps it as the old ${old}`,
    `if ${old} became ${claimant.name} and ${old} is a new ${scope.kind}, remove ${hintText(scope, hint)} from ${old}; ` +
      `if ${old} stays, remove ${hintText(scope, old)} from ${claimant.name}`,
  );
}

function namesNothing<T extends Named>(
  scope: Scope,
  item: T,
  hint: string,
  oldItems: readonly T[],
  newItems: readonly T[],
  claimedBy: ReadonlyMap<string, T>,
): SchemaError {
  const newNames = new Set(newItems.map((other) => other.name));
  const unmatched = oldItems.filter((old) => !claimedBy.has(old.name) && !newNames.has(old.name)).map((old) => old.name);
  const earlier = oldItems.find((old) => old.renamedFrom === hint);
  const candidates = unmatched.length > 0 ? ` (this migration would otherwise drop: ${unmatched.join(", ")})` : "";
  return new SchemaError(
    scope.location(item.name),
    `says ${hintText(scope, hint)}, but ${scope.oldPlace} has no ${scope.kind} ${hint} to rename` +
      (earlier ? ` (an earlier migration renamed ${hint} to ${earlier.name})` : ""),
    `name the ${scope.kind} as the last migration left it${candidates}, or remove the hint to create ${item.name} as a new, empty ${scope.kind}`,
  );
}
