// The targets each run is judged by, one row a target: verdict (met, not met, not measured) and the numbers behind
// it. Issue 14's first (a fresh clone's generate against drizzle-kit's, ClearLift's mid-table column), then issue 6's.
// Ratios are drizzle-kit ÷ d1-schema, medians: above 1, d1-schema is faster. A verdict covers the sizes the run
// measured; a size a target names that did not run is listed in its row.
import { count, kilobytes, ratio, times } from "./format.js";
import type { Measurement } from "./measure.js";
import type { ClearLiftResult, SizeResult } from "./report.js";
import { situations } from "./situations.js";

export interface Target {
  text: string;
  verdict: "met" | "not met" | "not measured";
  evidence: string;
}

/** One size's (or one pair's) part of a target: whether it holds (undefined: not measured) and its numbers. */
interface Part {
  ok: boolean | undefined;
  evidence: string;
}

function judge(text: string, parts: Part[], notRun: number[] = []): Target {
  const measured = parts.filter((part) => part.ok !== undefined);
  const verdict = parts.some((part) => part.ok === false) ? "not met" : measured.length === 0 ? "not measured" : "met";
  const evidence = [...parts.map((part) => part.evidence), ...(notRun.length > 0 ? [`not run: ${notRun.map(count).join(", ")} tables`] : [])];
  return { text, verdict, evidence: evidence.join("; ") };
}

const s = (value: number | undefined) => (value === undefined ? "–" : `${value.toFixed(2)} s`);
const mb = (value: number | undefined) => (value === undefined ? "–" : `${value.toFixed(0)} MB`);
const check = (ok: boolean | undefined) => (ok === undefined ? "" : ok ? " ✓" : " ✗");

export function issue14Targets(results: SizeResult[], clearLift: ClearLiftResult | undefined): Target[] {
  const measured = (tables: number) => results.some((result) => result.tables === tables);
  const notRun = (...sizes: number[]) => sizes.filter((tables) => !measured(tables));
  const median = (result: SizeResult, id: string) => result.measurements[id]?.medianSeconds;
  /** drizzle-kit ÷ ours for one size, and whether it reaches `needed` (undefined when either is missing). */
  const speedup = (result: SizeResult, ours: string, drizzle: string, needed: number): Part => {
    const value = ratio(median(result, drizzle), median(result, ours));
    const ok = value === undefined ? undefined : value >= needed;
    return {
      ok,
      evidence: `${count(result.tables)}: ${times(value, 2)}${check(ok)} (d1-schema ${s(median(result, ours))}, drizzle-kit ${s(median(result, drizzle))}; needs ${needed}×)`,
    };
  };
  const list: Target[] = [];

  list.push(
    judge(
      "generate after one added column, no caches: ≥ 3× faster than drizzle-kit at 180 and 1,000 tables, ≥ 1.5× at 5,000",
      results.map((result) => speedup(result, "oursAddColumnCold", "drizzleAddColumn", result.tables >= 5000 ? 1.5 : 3)),
      notRun(180, 1000, 5000),
    ),
  );

  list.push(
    judge(
      "generate from an empty snapshot: ≥ 2× faster than drizzle-kit at every size",
      results.map((result) => speedup(result, "oursEmpty", "drizzleEmpty", 2)),
    ),
  );

  list.push(
    judge(
      "with caches warm: at least as much faster as cold (drizzle-kit ÷ d1-schema warm ≥ cold, one added column, every size)",
      results.map((result) => {
        const drizzle = median(result, "drizzleAddColumn");
        const warm = ratio(drizzle, median(result, "oursAddColumn"));
        const cold = ratio(drizzle, median(result, "oursAddColumnCold"));
        const ok = warm === undefined || cold === undefined ? undefined : warm >= cold;
        return {
          ok,
          evidence: `${count(result.tables)}: warm ${times(warm, 2)} (${s(median(result, "oursAddColumn"))}), cold ${times(cold, 2)} (${s(median(result, "oursAddColumnCold"))})${check(ok)}`,
        };
      }),
    ),
  );

  const checkParts: Part[] = [];
  const at1000 = results.find((result) => result.tables === 1000);
  if (at1000) {
    // drizzle-kit's faster generate at that size, no change or one added column: the strict comparison.
    const drizzle = [median(at1000, "drizzleNoChange"), median(at1000, "drizzleAddColumn")].filter((value) => value !== undefined);
    const fastest = drizzle.length > 0 ? Math.min(...drizzle) : undefined;
    const ours = median(at1000, "oursCheckCold");
    const ok = ours === undefined || fastest === undefined ? undefined : ours < fastest;
    checkParts.push({
      ok,
      evidence: `1,000: check --no-cache ${s(ours)} against drizzle-kit's faster generate ${s(fastest)} (no change ${s(median(at1000, "drizzleNoChange"))}, one added column ${s(median(at1000, "drizzleAddColumn"))})${check(ok)}`,
    });
  }
  const at5000 = results.find((result) => result.tables === 5000);
  if (at5000) {
    const ours = median(at5000, "oursCheckCold");
    const ok = ours === undefined ? undefined : ours < 10;
    checkParts.push({ ok, evidence: `5,000: check --no-cache ${s(ours)}, needs under 10 s${check(ok)}` });
  }
  list.push(judge("check --no-cache at 1,000 tables: faster than drizzle-kit's generate at 1,000; at 5,000 under 10 s", checkParts, notRun(1000, 5000)));

  list.push(
    judge(
      "peak memory below drizzle-kit's at every size (every situation with a drizzle-kit counterpart)",
      results.map((result) => {
        const pairs = situations.flatMap((situation) =>
          situation.drizzle ? [{ name: situation.name, ours: result.measurements[situation.id], drizzle: result.measurements[situation.drizzle] }] : [],
        );
        const measuredPairs = pairs.flatMap((pair) =>
          pair.ours?.peakMb !== undefined && pair.drizzle?.peakMb !== undefined ? [{ ours: pair.ours.peakMb, drizzle: pair.drizzle.peakMb }] : [],
        );
        const over = measuredPairs.filter((pair) => pair.ours >= pair.drizzle);
        const ok = over.length > 0 ? false : measuredPairs.length === 0 ? undefined : true;
        const peak = (measurement: Measurement | undefined) => mb(measurement?.peakMb);
        return {
          ok,
          evidence: `${count(result.tables)}${check(ok)}: ${pairs.map((pair) => `${pair.name} ${peak(pair.ours)} vs ${peak(pair.drizzle)}`).join(", ")}`,
        };
      }),
    ),
  );

  list.push(growthTarget(results));

  const change = clearLift?.measurements;
  list.push({
    text: "ClearLift: a nullable column declared mid-table in DB.organizations is one ALTER TABLE … ADD COLUMN (times cold and warm)",
    verdict: clearLift?.alter.verified === undefined ? "not measured" : clearLift.alter.verified ? "met" : "not met",
    evidence: !clearLift
      ? "not run (--no-clearlift)"
      : `${clearLift.alter.verified === false ? `${clearLift.alter.problem}; ` : clearLift.alter.verified ? `${clearLift.alter.migration}: one ALTER TABLE ${clearLift.change.table} ADD COLUMN, no CREATE TABLE (every change run); ` : ""}` +
        `cold ${s(change?.clearLiftAddColumnCold?.medianSeconds)}, warm ${s(change?.clearLiftAddColumn?.medianSeconds)}`,
  });
  return list;
}

/**
 * 5× the tables at most 6× the time, for every situation of ours: 1,000 → 5,000 when both ran, otherwise every pair
 * of sizes the run measured where one is five times the other.
 */
function growthTarget(results: SizeResult[]): Target {
  const text = "growth: 5× the tables costs at most 6× the time, for every situation in the bench";
  const find = (tables: number) => results.find((result) => result.tables === tables);
  const pairs =
    find(1000) && find(5000)
      ? [[find(1000)!, find(5000)!]]
      : results.flatMap((small) => {
          const large = find(small.tables * 5);
          return large ? [[small, large]] : [];
        });
  if (pairs.length === 0) return { text, verdict: "not measured", evidence: "no two sizes run where one is 5× the other (1,000 and 5,000 by default)" };
  const parts = pairs.map(([small, large]): Part => {
    const factors = situations.map((situation) => ({
      name: situation.name,
      factor: ratio(large.measurements[situation.id]?.medianSeconds, small.measurements[situation.id]?.medianSeconds),
    }));
    const failing = factors.filter((entry) => entry.factor !== undefined && entry.factor > 6);
    const missing = factors.filter((entry) => entry.factor === undefined);
    const ok = failing.length > 0 ? false : missing.length === factors.length ? undefined : true;
    const list = (entries: typeof factors) => entries.map((entry) => `${entry.name} ${times(entry.factor, 2)}`).join(", ");
    return {
      ok,
      evidence:
        `${count(small.tables)} → ${count(large.tables)}: ` +
        (failing.length > 0
          ? `fail: ${list(failing)}; within 6×: ${list(factors.filter((entry) => !failing.includes(entry) && entry.factor !== undefined))}`
          : list(factors)) +
        (missing.length > 0 ? `; not measured: ${missing.map((entry) => entry.name).join(", ")}` : ""),
    };
  });
  return judge(text, parts);
}

/** Issue 6's targets, kept to follow them: the no-change path with the run cache, memory, growth, the core. */
export function issue6Targets(results: SizeResult[]): Target[] {
  const at = (tables: number) => results.find((result) => result.tables === tables);
  const median = (tables: number, id: string) => at(tables)?.measurements[id]?.medianSeconds;
  const list: Target[] = [];
  const verdict = (ok: boolean | undefined): Target["verdict"] => (ok === undefined ? "not measured" : ok ? "met" : "not met");
  for (const tables of [180, 1000]) {
    const speedup = ratio(median(tables, "drizzleNoChange"), median(tables, "oursNoChange"));
    list.push({
      text: `generate with no change ≥ 3× faster than drizzle-kit at ${tables.toLocaleString("en-US")} tables`,
      verdict: verdict(speedup === undefined ? undefined : speedup >= 3),
      evidence:
        speedup === undefined
          ? ""
          : `${times(speedup, 2)} (d1-schema ${median(tables, "oursNoChange")!.toFixed(2)} s, drizzle-kit ${median(tables, "drizzleNoChange")!.toFixed(2)} s); ` +
            `cold, without the run cache: ${times(ratio(median(tables, "drizzleNoChange"), median(tables, "oursNoChangeCold")), 2)} (${median(tables, "oursNoChangeCold")?.toFixed(2) ?? "–"} s)`,
    });
  }
  const noChange5000 = median(5000, "oursNoChange");
  list.push({
    text: "5,000 tables: generate with no change under 2 s",
    verdict: verdict(noChange5000 === undefined ? undefined : noChange5000 < 2),
    evidence: noChange5000 === undefined ? "" : `${noChange5000.toFixed(2)} s (cold, --no-cache: ${median(5000, "oursNoChangeCold")?.toFixed(2) ?? "–"} s)`,
  });
  const peak5000 = at(5000)?.measurements.oursNoChange?.peakMb;
  list.push({
    text: "5,000 tables: peak memory under 300 MB (generate, no change)",
    verdict: verdict(peak5000 === undefined ? undefined : peak5000 < 300),
    evidence:
      peak5000 === undefined
        ? ""
        : `${peak5000.toFixed(0)} MB (cold: ${at(5000)?.measurements.oursNoChangeCold?.peakMb?.toFixed(0) ?? "–"} MB; highest of any d1-schema command at 5,000: ${Math.max(...situations.map((situation) => situation.id).map((id) => at(5000)?.measurements[id]?.peakMb ?? 0)).toFixed(0)} MB)`,
  });
  const growthRatio = ratio(median(5000, "oursNoChange"), median(1000, "oursNoChange"));
  list.push({
    text: "linear growth: 5× the tables (1,000 → 5,000) costs at most 6× the time (generate, no change)",
    verdict: verdict(growthRatio === undefined ? undefined : growthRatio <= 6),
    evidence:
      growthRatio === undefined
        ? ""
        : `${times(growthRatio, 2)}; other commands: ${situations
            .map((situation) => situation.id)
            .filter((id) => id !== "oursNoChange")
            .map((id) => `${id} ${times(ratio(median(5000, id), median(1000, id)), 2)}`)
            .join(", ")}`,
  });
  const core1000 = at(1000)?.core?.timings.filter((timing) => timing.id.startsWith("diffPlan"));
  const slowest = core1000 && core1000.length > 0 ? Math.max(...core1000.map((timing) => timing.medianMs)) : undefined;
  list.push({
    text: "diff + plan core under 50 ms at 1,000 tables (every situation)",
    verdict: verdict(slowest === undefined ? undefined : slowest < 50),
    evidence: core1000 ? core1000.map((timing) => `${timing.label.replace("diff + plan ", "")} ${timing.medianMs.toFixed(1)} ms`).join(", ") : "",
  });
  const grown = results.filter((result) => result.growth.ours !== undefined && result.growth.ours.files.length > 0);
  const onlyMigrations = grown.every((result) => result.growth.ours!.files.filter((file) => file.status === "new").every((file) => file.file.endsWith(".sql")));
  list.push({
    text: "one snapshot per database, rewritten in place: the repository grows by the migration files only",
    verdict: verdict(grown.length === 0 ? undefined : onlyMigrations),
    evidence: grown
      .map(
        (result) =>
          `${result.tables.toLocaleString("en-US")} tables: d1-schema +${kilobytes(result.growth.ours!.newBytes)}, drizzle-kit +${result.growth.drizzle ? kilobytes(result.growth.drizzle.newBytes) : "?"} a migration`,
      )
      .join("; "),
  });
  return list;
}
