import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measuredSection } from "../../docs/site/pages.ts";
import { PROBES } from "../measure/probes.ts";
import { type Measurement, measure, readMeasurement } from "../measure/run.ts";
import { measureTable } from "../measure/table.ts";
import { CHAPTER, chapterLatencies } from "../measure/typical.ts";
import { stripAnsi } from "../report/text.ts";
import { repo } from "./cli-helper.ts";

// a project of its own inside this one's .grade/, so the fsync lands on the disk the learner works
// on (a system temporary folder may be memory, where an fsync costs nothing)
let root = "";
let measurement: Measurement;
beforeAll(async () => {
  mkdirSync(path.join(repo, ".grade"), { recursive: true });
  root = mkdtempSync(path.join(repo, ".grade", "test-measure-"));
  mkdirSync(path.join(root, path.dirname(CHAPTER)), { recursive: true });
  copyFileSync(path.join(repo, CHAPTER), path.join(root, CHAPTER));
  measurement = await measure(root, { quick: true });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("npm run measure", () => {
  it("reads the chapter's latency table, so 'typical' is the chapter's own figure", () => {
    const rows = chapterLatencies(repo);
    expect(rows.get("Main memory reference"), "Main memory reference, in ns").toBe(100);
    expect(rows.get("Round trip within a datacenter"), "a datacenter round trip, in ns").toBe(500_000);
    expect(rows.get("Round trip California ↔ Netherlands"), "an ocean's round trip, in ns").toBe(150_000_000);
    for (const probe of PROBES.filter((p) => p.chapterRow))
      expect(
        rows.has(probe.chapterRow ?? ""),
        `${probe.id} stands beside "${probe.chapterRow}", a row of ${CHAPTER}`,
      ).toBe(true);
  });

  it("measures every probe: each median positive and finite, from many calls", () => {
    expect(measurement.results.map((r) => r.id)).toEqual(PROBES.map((p) => p.id));
    for (const r of measurement.results) {
      expect(Number.isFinite(r.medianNs) && r.medianNs > 0, `${r.id}: median ${r.medianNs} ns`).toBe(true);
      expect(r.samples, `${r.id}: timed calls`).toBeGreaterThanOrEqual(20);
      expect(r.method.length, `${r.id}: its method, in a line`).toBeGreaterThan(20);
    }
    expect(
      measurement.skipped.map((s) => s.id),
      "without the labs' cluster, SELECT 1 is skipped, and says why",
    ).toEqual(["postgres-select-1"]);
  });

  it("orders what physics orders: a memory read, then a loopback round trip, then an fsync", () => {
    const at = (id: string) => measurement.results.find((r) => r.id === id)?.medianNs ?? Number.NaN;
    const [memory, loopback, fsync] = [at("memory-random-read"), at("tcp-loopback"), at("fsync-small")];
    expect(memory, `memory ${memory} ns against loopback ${loopback} ns`).toBeLessThan(loopback);
    expect(loopback, `loopback ${loopback} ns against fsync ${fsync} ns`).toBeLessThan(fsync);
  });

  it("leaves no scratch files behind: the read probes' file is the learner's disk space", () => {
    expect(readMeasurement(root), "nothing kept until the CLI writes it").toBeUndefined();
    const left = readdirSync(path.join(root, ".grade", "measure"));
    expect(left).toEqual([]);
  });

  it("prints each operation with the chapter's figure, yours and the ratio, and its method under it", () => {
    const text = stripAnsi(measureTable(measurement));
    for (const r of measurement.results) {
      expect(text, r.label).toContain(r.label);
      expect(text, `${r.id}'s method`).toContain(r.method);
    }
    const memory = text.split("\n").find((line) => line.startsWith("Main memory reference")) ?? "";
    expect(memory, "the memory row: the chapter's 100 ns, yours, and the ratio").toMatch(/100 ns\s+\S+ \S+\s+[0-9.]+×/);
  });

  it("keeps the results for the site, which shows yours beside the chapter's", () => {
    writeFileSync(path.join(root, ".grade", "measure.json"), JSON.stringify(measurement));
    const kept = readMeasurement(root);
    expect(kept?.results.length).toBe(measurement.results.length);
    const html = measuredSection(kept).html;
    expect(html).toContain("Latency on your machine");
    expect(html).toMatch(
      /<td>Main memory reference<\/td><td>100 ns<\/td><td><strong>[^<]+<\/strong><\/td><td>[0-9.]+×<\/td>/,
    );
    writeFileSync(path.join(root, ".grade", "measure.json"), "{ not json");
    expect(readMeasurement(root), "a file that is not a measurement is ignored").toBeUndefined();
    expect(measuredSection(undefined).html, "without one, how to make one").toContain("npm run measure");
  });
});
