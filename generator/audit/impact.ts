// What a pending migration means for code already deployed against the schema, from what `status` found it does
// (sqlite/migration-effects.ts): the audit's "Impact" column and the severity of "production is behind".
import type { MigrationEffect } from "../sqlite/migration-effects.js";

/** `renderImpact` says it in words. */
export type PendingImpact = "fails" | "createsWhatCodeUses" | "removesUnused" | "none" | "changesSchema";

/**
 * What a pending migration means for code already deployed against the schema: the gravest of its effects' impacts;
 * a migration that only drops is low, one that changes nothing is none.
 */
export function impactOf(effects: readonly MigrationEffect[]): PendingImpact {
  const impacts = new Set(effects.map(effectImpact));
  if (impacts.has("fails")) return "fails";
  if (impacts.has("createsWhatCodeUses")) return "createsWhatCodeUses";
  impacts.delete("none");
  if (impacts.size === 0) return "none";
  return impacts.size === 1 && impacts.has("removesUnused") ? "removesUnused" : "changesSchema";
}

function effectImpact(effect: MigrationEffect): PendingImpact {
  switch (effect.kind) {
    case "fails":
      return "fails";
    case "createsTables":
    case "addsColumn":
    case "addsForeignKey":
    case "createsIndex":
    case "createsObject":
      return "createsWhatCodeUses";
    case "dropsTables":
    case "dropsColumn":
    case "dropsForeignKey":
    case "dropsIndex":
    case "dropsObject":
      return "removesUnused";
    case "noSchemaChange":
      return "none";
    // What a rebuild changed, and what could not be replayed, may change what deployed code reads.
    case "changesTable":
    case "changesObject":
    case "notReplayed":
    case "unknown":
    case "skippedByBaseline":
      return "changesSchema";
    default: {
      const unknown: never = effect;
      throw new Error(`unknown migration effect ${JSON.stringify(unknown)}`);
    }
  }
}

export function renderImpact(impact: PendingImpact): string {
  switch (impact) {
    case "fails":
      return "fails: wrangler would stop at this file";
    case "createsWhatCodeUses":
      return "code that uses what it creates fails with 'no such table/column' until it is applied";
    case "removesUnused":
      return "low: removes what the schema no longer has";
    case "none":
      return "none: no schema change";
    case "changesSchema":
      return "changes the schema that deployed code reads";
    default: {
      const unknown: never = impact;
      throw new Error(`unknown impact ${JSON.stringify(unknown)}`);
    }
  }
}
