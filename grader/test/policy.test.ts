import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { computeChecksums } from "../integrity/checksums.ts";
import { applyMutant } from "../matrix/mutant-patch.ts";
import { checkLearnerModule, importProblem } from "../run/policy.ts";
import { kataResolver } from "../run/resolver.ts";
import { LEARNER } from "../run/targets.ts";
import { repo } from "./cli-helper.ts";

/** a learner's TypeScript as the grader checks it: types gone, with a source map back to the file */
function check(source: string) {
  const { code, map } = transformSync(source, { loader: "ts", format: "esm", sourcemap: "external" });
  return checkLearnerModule(code, JSON.parse(map));
}

const messages = (source: string) => check(source).map((v) => `${v.line}:${v.column} ${v.message}`);

describe("what kata code may use", () => {
  it("accepts every reference, stub and mutant of the course: what we write, a learner may", () => {
    const listed = (dir: string, ending: string) =>
      readdirSync(path.join(repo, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(ending))
        .map((entry) => path.relative(repo, path.join(entry.parentPath, entry.name)));
    const files = ["solutions", "grader/stubs", "katas"].flatMap((dir) => listed(dir, ".ts"));
    const mutants = listed("grader/mutants", ".patch");
    expect(files.length + mutants.length).toBeGreaterThan(250);
    const refused = [
      ...files.map((file) => ({ file, code: readFileSync(path.join(repo, file), "utf8") })),
      ...mutants.map((file) => ({ file, code: applyMutant(repo, file) })),
    ]
      .map(({ file, code }) => ({ file, problems: check(code) }))
      .filter((result) => result.problems.length > 0);
    expect(refused).toEqual([]);
  });

  it("accepts the standard globals, and names that shadow refused ones", () => {
    const source = [
      "const cache = new Map<string, number>();",
      "export function f(process: number): number {",
      "  const window = [1, 2, 3].map((n) => Math.max(n, process));",
      "  console.log(JSON.stringify(window), new Date(0).getTime(), structuredClone({ a: 1 }));",
      "  queueMicrotask(() => cache.set('k', Number.parseInt('1', 10)));",
      "  return window.length + (typeof globalThis === 'undefined' ? 0 : 0);",
      "}",
    ].join("\n");
    expect(messages(source)).toEqual([
      "6:34 uses globalThis (the global object is shared with the grader and the reference)",
    ]);
    expect(messages(source.replace("typeof globalThis === 'undefined'", "true"))).toEqual([]);
  });

  it("refuses what reaches the grader: the process, the global object, CommonJS, eval, the network", () => {
    expect(messages("export const pid = process.pid;")).toEqual([
      "1:20 uses process (the process belongs to the grader: a kata gets time from its Clock and randomness from a seed)",
    ]);
    expect(messages("export const g = global;\nexport const s = self;")).toEqual([
      "1:18 uses global (the global object is shared with the grader and the reference)",
      "2:18 uses self (the global object is shared with the grader and the reference)",
    ]);
    expect(messages("export const fs = require('node:fs');")[0]).toMatch(/^1:19 uses require \(a kata is an ES module/);
    // eval makes every name in its scope unknowable to a checker: it is named among the rest
    expect(messages("export const x = eval('1');")).toContainEqual(
      expect.stringMatching(/^1:18 uses eval \(the grader does not compile/),
    );
    expect(messages("export const r = fetch('http://x');")[0]).toMatch(
      /^1:18 uses fetch \(a kata does not use the network/,
    );
    expect(messages("export const w = __vitest_worker__;")[0]).toMatch(
      /^1:18 uses __vitest_worker__ \(it is not defined here/,
    );
  });

  it("refuses assignments to globals, even standard ones", () => {
    expect(messages("Map = class {} as never;\nexport {};")).toEqual([
      "1:1 assigns to the global Map (a kata declares its own variables with const or let)",
    ]);
  });

  it("refuses imports at run time, import.meta and an export named then", () => {
    expect(messages("export const m = () => import('./x.ts');")[0]).toMatch(/^1:24 loads a module at run time/);
    expect(messages("export const u = import.meta.url;")[0]).toMatch(/^1:18 uses import\.meta/);
    expect(messages("export function then() {}")[0]).toMatch(/^1:8 exports then \(a module that exports then/);
    expect(messages("function f() {}\nexport { f as then };")[0]).toMatch(/^1:1 exports then/);
  });

  it("reports each problem at the learner's own line, not the compiled one's", () => {
    const source = [
      "interface Options {",
      "  capacity: number;",
      "}",
      "",
      "type Key = string;",
      "",
      "export class Limiter {",
      "  constructor(private readonly options: Options) {}",
      "  allow(_key: Key): boolean {",
      "    return process.hrtime() !== undefined;",
      "  }",
      "}",
    ].join("\n");
    expect(messages(source)).toEqual([
      "10:12 uses process (the process belongs to the grader: a kata gets time from its Clock and randomness from a seed)",
    ]);
  });

  it("lets a kata import #kit, its chapter's files and pure node: modules, and nothing else", () => {
    for (const ok of ["#kit", "./helper.ts", "../04-rate-limiting/x.ts", "node:crypto", "crypto", "node:util"])
      expect(importProblem(ok), ok).toBeUndefined();
    for (const refused of [
      "node:fs",
      "fs",
      "node:child_process",
      "node:worker_threads",
      "node:vm",
      "vitest",
      "#ref/x/y",
      "/etc/passwd",
      "file:///x.ts",
    ])
      expect(importProblem(refused), refused).toMatch(/^imports ".*" \(a kata imports only #kit/);
    expect(messages("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;")[0]).toMatch(
      /^1:1 imports "node:fs"/,
    );
  });
});

describe("the specs a grade uses", () => {
  it("are the specs as they were before any learner code ran: one changed since is refused when it loads", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "sdk-integrity-"));
    const spec = path.join(root, "grader/specs/01-x/kata.spec.ts");
    mkdirSync(path.dirname(spec), { recursive: true });
    writeFileSync(spec, "it('holds', () => {});\n");
    const before = computeChecksums(root);
    const integrity = kataResolver(root, LEARNER, before).find((p) => p.name === "system-design-katas:integrity");
    const load = integrity?.load as (this: unknown, id: string) => string | null;
    const context = {
      error(message: string): never {
        throw new Error(message);
      },
    };
    expect(load.call(context, spec)).toBe("it('holds', () => {});\n");
    expect(load.call(context, path.join(root, "grader/run/other.ts"))).toBeNull();
    writeFileSync(spec, "it('holds', () => { /* rewritten by a kata */ });\n");
    expect(() => load.call(context, `${spec}?kata-target=stub`)).toThrow(
      "grader/specs/01-x/kata.spec.ts changed while grading: the grade uses the specs as they were when it started",
    );
    rmSync(root, { recursive: true, force: true });
  });
});
