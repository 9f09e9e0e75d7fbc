import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createVitest } from "vitest/node";
import type { Kata } from "../manifest/load.ts";
import type { Question } from "../manifest/schema.ts";
import { DEFAULT_LIMITS } from "../manifest/schema.ts";
import type { SeedRange } from "../spec/seed.ts";
import { Collector, type ModuleKey, specOutcome, toErrorInfo } from "./collect.ts";
import type { RunEvent } from "./events.ts";
import type { ErrorInfo, SpecOutcome } from "./outcome.ts";
import { kataResolver, TARGET_QUERY } from "./resolver.ts";
import { openSandbox, type Sandbox } from "./sandbox.ts";
import { kataTargetFile, LEARNER, type Target, targetId } from "./targets.ts";

/** what a job grades: a kata, or a chapter's worksheet (graded like a kata, contained) */
export type Gradable = Pick<Kata, "id" | "chapter" | "file" | "limits"> & { paths: Pick<Kata["paths"], "spec"> };

export interface SpecJob {
  kata: Gradable;
  target: Target;
  /** run only this spec's tests whose full name matches this regular expression (source text) */
  only?: string;
  /** a worksheet's questions: the job grades the chapter's worksheet file against them */
  worksheet?: Question[];
}

export interface RunOptions {
  root: string;
  jobs: SpecJob[];
  seed: number;
  /** the seeds simulation tests sweep, instead of each test's default sweep */
  seeds?: SeedRange;
  /** only tests whose full name matches */
  testNamePattern?: string;
  /** which tests by tag: all, all but "load", or only "load" */
  tests?: "all" | "no-load" | "load-only";
  /** also print vitest's own output */
  verbose?: boolean;
  /** what `#kata` means for specs run directly (not through a wrapper) */
  defaultTarget?: Target;
  /** the heap each worker may use */
  memoryMb?: number;
  /** told of each module and test as it starts and ends */
  onEvent?: (event: RunEvent) => void;
  /** the SHA-256 of each spec and spec helper (root-relative) as read before any learner code ran */
  specs?: Record<string, string>;
}

export interface RunResult {
  outcomes: SpecOutcome[];
  /** errors vitest caught outside any spec */
  unhandled: ErrorInfo[];
}

// two workers suit a 2-core machine; SDK_WORKERS overrides (the grader's own tests run several graders at once)
const setupFile = fileURLToPath(new URL("./worker-setup.ts", import.meta.url));
const containedWorksheet = fileURLToPath(new URL("../worksheet/contained.ts", import.meta.url));

const WORKERS = Number(process.env.SDK_WORKERS) || Math.max(1, Math.min(2, os.availableParallelism()));

type TestFile = ModuleKey & { only?: string };

function slug(id: string): string {
  return id.replace(/[^a-z0-9-]/g, "_");
}

/**
 * Test files for the jobs. A job whose target is the run's default runs its
 * spec file directly; any other target gets a one-line wrapper that imports
 * the spec with `?kata-target=<target>`, so one vitest run (and one worker
 * pool) serves every target of the kata matrix.
 */
function testFiles(root: string, wrappers: string, jobs: SpecJob[], fallback: Target): Map<string, TestFile> {
  const files = new Map<string, TestFile>();
  for (const { kata, target, only, worksheet } of jobs) {
    const id = targetId(target);
    const key: TestFile = {
      kataId: kata.id,
      chapter: kata.chapter,
      target: id,
      underTest: path.join(root, kataTargetFile(kata, target)),
      ...(only ? { only } : {}),
    };
    if (worksheet) {
      if (id !== targetId(fallback)) throw new Error(`a worksheet is graded for the run's own target, not ${id}`);
      const wrapper = path.join(wrappers, kata.chapter, "worksheet.test.ts");
      mkdirSync(path.dirname(wrapper), { recursive: true });
      writeFileSync(wrapper, worksheetWrapper(wrapper, kata.chapter, worksheet));
      files.set(wrapper, key);
      continue;
    }
    const spec = path.join(root, kata.paths.spec);
    if (id === targetId(fallback)) {
      files.set(spec, key);
      continue;
    }
    const wrapper = path.join(wrappers, kata.chapter, `${kata.id}.${slug(id)}.test.ts`);
    mkdirSync(path.dirname(wrapper), { recursive: true });
    const relative = path.relative(path.dirname(wrapper), spec).split(path.sep).join("/");
    writeFileSync(wrapper, `import ${JSON.stringify(`${relative}?${TARGET_QUERY}=${id}`)};\n`);
    files.set(wrapper, key);
  }
  return files;
}

/** the test file of a worksheet job: the worksheet is imported inside the test, so a load error is an answer's verdict */
function worksheetWrapper(wrapper: string, chapter: string, questions: Question[]): string {
  const contained = path.relative(path.dirname(wrapper), containedWorksheet).split(path.sep).join("/");
  return [
    `import { worksheetTest } from ${JSON.stringify(contained)};`,
    `worksheetTest(${JSON.stringify(questions)}, {`,
    `  answers: () => import(${JSON.stringify(`#kata/${chapter}/worksheet`)}),`,
    `  reference: () => import(${JSON.stringify(`#ref/${chapter}/worksheet`)}),`,
    "});",
    "",
  ].join("\n");
}

/** the Vitest options every grading run shares: forked, sandboxed workers, memory cap, seed, the load tag */
export function vitestOptions(options: RunOptions, sandbox: Sandbox) {
  // the supervisor enforces each kata's time limit; Vitest's own timeouts only back it up
  const longest = Math.max(DEFAULT_LIMITS.timeMs, ...options.jobs.map((j) => j.kata.limits.timeMs)) + 5_000;
  return {
    root: options.root,
    config: false as const,
    watch: false,
    include: ["grader/specs/**/*.spec.ts", ".grade/targets/**/*.test.ts"],
    pool: "forks" as const,
    maxWorkers: WORKERS,
    isolate: false,
    execArgv: [
      "--expose-gc",
      `--max-old-space-size=${options.memoryMb ?? DEFAULT_LIMITS.memoryMb}`,
      ...sandbox.execArgv,
    ],
    setupFiles: [setupFile],
    testTimeout: longest,
    hookTimeout: longest,
    tags: [{ name: "load", description: "load-style tests: ratios to the reference", timeout: longest }],
    ...(options.tests === "no-load" ? { tagsFilter: ["!load"] } : {}),
    ...(options.tests === "load-only" ? { tagsFilter: ["load"] } : {}),
    ...(options.testNamePattern ? { testNamePattern: options.testNamePattern } : {}),
    provide: {
      seed: options.seed,
      seeds: options.seeds ?? null,
      traceDir: simulationTraces(options.root),
    },
    passWithNoTests: true,
    // the grader's own modules, transformed once, are kept for the next run (the resolver says
    // which may be: never a kata, a stub, a mutant or a spec); 0.2 s less a grade, measured
    ...(sandbox.transformCache
      ? { experimental: { fsModuleCache: true, fsModuleCachePath: sandbox.transformCache } }
      : {}),
  };
}

/** where Vitest keeps the grader's own modules, transformed, between runs; none if it cannot be made */
function transformCache(root: string): string | undefined {
  const dir = path.join(root, ".grade", "vitest-cache");
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}

/** where simulation tests write the trace of a failing seed */
const simulationTraces = (root: string) => path.join(root, ".grade", "traces");

/** the sandbox of a run whose test files are the specs and the wrappers in `wrappers` */
export function sandboxFor(root: string, wrappers: string): Sandbox {
  return openSandbox({
    root,
    testDirs: [path.join(root, "grader", "specs"), wrappers],
    writable: [simulationTraces(root), ...(process.env.SDK_TRACE_DIR ? [process.env.SDK_TRACE_DIR] : [])],
    transformCache: transformCache(root),
  });
}

/** whether any job's spec (or a helper of its chapter's) or worksheet loads the units engine */
export function needsUnitsEngine(root: string, jobs: SpecJob[]): boolean {
  const chapters = new Set<string>();
  for (const job of jobs) {
    if (job.worksheet) return true;
    chapters.add(path.dirname(path.join(root, job.kata.paths.spec)));
  }
  const imports = /from\s+["'][^"']*units\/|#units/;
  return [...chapters].some((dir) =>
    readdirSync(dir).some((file) => file.endsWith(".ts") && imports.test(readFileSync(path.join(dir, file), "utf8"))),
  );
}

/** runs the jobs' specs in one vitest run, in forked workers, and collects every outcome */
export async function runSpecs(options: RunOptions): Promise<RunResult> {
  const { root, jobs, verbose = false } = options;
  // the workers this run forks inherit it: harden.ts loads the units engine before lockdown if so
  process.env.SDK_UNITS_ENGINE = needsUnitsEngine(root, jobs) ? "1" : "0";
  const fallback = options.defaultTarget ?? LEARNER;
  // wrappers live in a directory of this run's own, so two runs at once do not collide
  const wrappers = path.join(root, ".grade", "targets", String(process.pid));
  const files = testFiles(root, wrappers, jobs, fallback);
  const collector = new Collector(root, files, options.onEvent);
  const sandbox = sandboxFor(root, wrappers);
  const vitest = await createVitest(
    "test",
    { ...vitestOptions(options, sandbox), reporters: verbose ? [collector, "default"] : [collector] },
    { plugins: kataResolver(root, fallback, options.specs), logLevel: verbose ? "info" : "error" },
  );
  try {
    await vitest.standalone();
    const project = vitest.getRootProject();
    const specifications = [...files].map(([file, { only }]) =>
      project.createSpecification(file, only ? { testNamePattern: new RegExp(only) } : undefined),
    );
    await vitest.runTestSpecifications(specifications);
  } finally {
    await vitest.close();
    sandbox.close();
    rmSync(wrappers, { recursive: true, force: true });
  }
  const outcomes: SpecOutcome[] = [];
  const seen = new Set<string>();
  for (const module of collector.modules) {
    const key = files.get(module.moduleId);
    if (!key) continue;
    seen.add(module.moduleId);
    outcomes.push(specOutcome(module, key, collector, root));
  }
  // a file vitest never reported still gets an outcome, so no kata silently vanishes
  for (const [file, key] of files) {
    if (seen.has(file)) continue;
    outcomes.push({
      kataId: key.kataId,
      chapter: key.chapter,
      target: key.target,
      tests: [],
      loadErrors: [{ name: "Error", message: `vitest did not report ${path.relative(root, file)}` }],
      durationMs: 0,
    });
  }
  return { outcomes, unhandled: collector.unhandled.map((e) => toErrorInfo(e, root)) };
}
