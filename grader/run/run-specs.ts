import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PoolRunnerInitializer, Vitest } from "vitest/node";
import { DEFAULT_LIMITS } from "../manifest/limits.ts";
import type { Kata } from "../manifest/load.ts";
import type { Question } from "../manifest/schema.ts";
import type { LabServers } from "../servers/labs.ts";
import type { SeedRange } from "../spec/seed-range.ts";
import { Collector, type ModuleKey, Relay, specOutcome, toErrorInfo } from "./collect.ts";
import type { RunEvent } from "./events.ts";
import type { ErrorInfo, SpecOutcome } from "./outcome.ts";
import { kataResolver, TARGET_QUERY } from "./resolver.ts";
import { type Sandbox, sandboxFor, simulationTraces, workerExecArgv, wrappersDir } from "./sandbox.ts";
import { kataTargetFile, LEARNER, type Target, targetId } from "./targets.ts";
import { warmForksPool } from "./warm-workers.ts";

/** what a job grades: a kata, or a chapter's worksheet (graded like a kata, contained) */
export type Gradable = Pick<Kata, "id" | "chapter" | "file" | "limits"> &
  Partial<Pick<Kata, "needs">> & {
    paths: Pick<Kata["paths"], "spec">;
  };

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
  /** load tests run one short round and judge no budget: the matrix's references (load/smoke.ts) */
  loadSmoke?: boolean;
  /** also print vitest's own output */
  verbose?: boolean;
  /** what `#kata` means for specs run directly (not through a wrapper) */
  defaultTarget?: Target;
  /** the heap each worker may use */
  memoryMb?: number;
  /** workers the runner forks for the batch after this one, once this one's have started (a load pass may follow) */
  workersForNext?: number;
  /** keep this batch's Vitest instance for the next batch, the same grade's load pass */
  keepOpen?: boolean;
  /** run in the instance the batch before kept, if it was made for the same options */
  reuseKept?: boolean;
  /** told of each module and test as it starts and ends */
  onEvent?: (event: RunEvent) => void;
  /** the SHA-256 of each spec and spec helper (root-relative) as read before any learner code ran */
  specs?: Record<string, string>;
  /** the labs' servers the supervisor started for these jobs */
  labServers?: LabServers | undefined;
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

/**
 * The Vitest options every grading run shares: forked, sandboxed workers, memory cap, seed, the
 * load tag. `pool` is where the workers come from: Vitest's forks, or a runner's warm ones.
 */
export function vitestOptions(options: RunOptions, sandbox: Sandbox, pool?: PoolRunnerInitializer) {
  // the supervisor enforces each kata's time limit; Vitest's own timeouts only back it up
  const longest = longestLimit(options.jobs) + 5_000;
  return {
    root: options.root,
    config: false as const,
    watch: false,
    include: ["grader/specs/**/*.spec.ts", ".grade/targets/**/*.test.ts"],
    pool: pool ?? ("forks" as const),
    maxWorkers: WORKERS,
    isolate: false,
    execArgv: workerExecArgv(options.memoryMb ?? DEFAULT_LIMITS.memoryMb, sandbox),
    setupFiles: [setupFile],
    testTimeout: longest,
    hookTimeout: longest,
    tags: [{ name: "load", description: "load-style tests: ratios to the reference", timeout: longest }],
    ...(options.testNamePattern ? { testNamePattern: options.testNamePattern } : {}),
    provide: {
      seed: options.seed,
      seeds: options.seeds ?? null,
      traceDir: simulationTraces(options.root),
      // harden.ts loads the units engine before lockdown if so (mathjs cannot load after it)
      unitsEngine: needsUnitsEngine(options.root, options.jobs),
      labServers: options.labServers ?? null,
      loadSmoke: options.loadSmoke ?? false,
    },
    passWithNoTests: true,
    // the grader's own modules, transformed once, are kept for the next run (the resolver says
    // which may be: never a kata, a stub, a mutant or a spec); 0.2 s less a grade, measured
    ...(sandbox.transformCache
      ? { experimental: { fsModuleCache: true, fsModuleCachePath: sandbox.transformCache } }
      : {}),
  };
}

/** whether any job's spec (or a helper of its chapter's) or worksheet loads the units engine */
export function needsUnitsEngine(root: string, jobs: SpecJob[]): boolean {
  const chapters = new Set<string>();
  for (const job of jobs) {
    if (job.worksheet) return true;
    chapters.add(path.dirname(path.join(root, job.kata.paths.spec)));
  }
  // the units engine, or a design problem's tests, which read a design's quantities with it
  const imports = /from\s+["'][^"']*(units\/|spec\/design\.ts)|#units/;
  return [...chapters].some((dir) =>
    readdirSync(dir).some((file) => file.endsWith(".ts") && imports.test(readFileSync(path.join(dir, file), "utf8"))),
  );
}

/**
 * A Vitest instance and what it was made for. A grade's first pass may keep its instance for the
 * load pass (keepOpen, then reuseKept): the specs and the kata are not transformed again, and no
 * new Vite server starts, about 0.1 s less. The next batch that does not ask for it closes it: a
 * kept instance holds the kata as it was transformed, never for a later save.
 */
interface Session {
  key: string;
  /** the longest time limit of its jobs (its Vitest timeouts), and whether its workers load the units engine */
  longestMs: number;
  units: boolean;
  vitest: Vitest;
  relay: Relay;
  sandbox: Sandbox;
  wrappers: string;
}

let kept: Session | undefined;

/** what a Vitest instance is made from besides its jobs; which tests by tag goes with each file */
function sessionKey(options: RunOptions): string {
  const {
    jobs: _,
    onEvent: __,
    tests: ___,
    keepOpen: ____,
    reuseKept: _____,
    workersForNext: ______,
    ...rest
  } = options;
  return JSON.stringify(rest);
}

const longestLimit = (jobs: SpecJob[]) => Math.max(DEFAULT_LIMITS.timeMs, ...jobs.map((j) => j.kata.limits.timeMs));

/** whether a kept instance can run these jobs: made the same way, with timeouts and preloads enough */
function servesAlso(session: Session, options: RunOptions, key: string): boolean {
  return (
    session.key === key &&
    session.longestMs >= longestLimit(options.jobs) &&
    (session.units || !needsUnitsEngine(options.root, options.jobs))
  );
}

async function openSession(options: RunOptions, key: string, wrappers: string): Promise<Session> {
  const { root, verbose = false } = options;
  const sandbox = sandboxFor(root, wrappers);
  const relay = new Relay();
  // Vitest's Node API loads here, not with this module: a runner forks warm workers first
  const { createVitest } = await import("vitest/node");
  const vitest = await createVitest(
    "test",
    { ...vitestOptions(options, sandbox, await warmForksPool()), reporters: verbose ? [relay, "default"] : [relay] },
    {
      plugins: kataResolver(root, options.defaultTarget ?? LEARNER, options.specs),
      logLevel: verbose ? "info" : "error",
    },
  );
  await vitest.standalone();
  const longestMs = longestLimit(options.jobs);
  return { key, longestMs, units: needsUnitsEngine(root, options.jobs), vitest, relay, sandbox, wrappers };
}

async function closeSession(session: Session): Promise<void> {
  await session.vitest.close();
  session.sandbox.close();
  rmSync(session.wrappers, { recursive: true, force: true });
}

/** closes the instance a batch kept, if one did */
export async function closeKept(): Promise<void> {
  const session = kept;
  kept = undefined;
  if (session) await closeSession(session);
}

/** runs the jobs' specs in one vitest run, in forked workers, and collects every outcome */
export async function runSpecs(options: RunOptions): Promise<RunResult> {
  const { root, jobs } = options;
  const fallback = options.defaultTarget ?? LEARNER;
  // wrappers live in a directory of this runner's own, so two runs at once do not collide
  const wrappers = wrappersDir(root);
  const files = testFiles(root, wrappers, jobs, fallback);
  const collector = new Collector(root, files, options.onEvent);
  const key = sessionKey(options);
  const reused = options.reuseKept && kept && servesAlso(kept, options, key) ? kept : undefined;
  kept = undefined;
  if (!reused) await closeKept();
  const session = reused ?? (await openSession(options, key, wrappers));
  session.relay.to = collector;
  let keep = false;
  try {
    const project = session.vitest.getRootProject();
    // which tests by tag goes with each file: one instance serves a grade's two passes
    const tags = options.tests === "no-load" ? ["!load"] : options.tests === "load-only" ? ["load"] : undefined;
    const specifications = [...files].map(([file, { only }]) =>
      project.createSpecification(file, {
        ...(only ? { testNamePattern: new RegExp(only) } : {}),
        ...(tags ? { testTagsFilter: tags } : {}),
      }),
    );
    await session.vitest.runTestSpecifications(specifications);
    keep = options.keepOpen === true;
  } finally {
    session.relay.to = undefined;
    if (keep) kept = session;
    else await closeSession(session);
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
