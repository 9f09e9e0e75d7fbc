import { z } from "zod";

/**
 * The results of a grade run, for a classroom's CI: `npm run grade -- --json
 * results.json`. The format is versioned: a change that could break a reader
 * raises `version`. Documented in docs/results.md.
 */
export const RESULTS_VERSION = 2;

const TestStatus = z.enum(["pass", "fail", "timeout", "skip"]);
// version 2 added "skip": a lab whose server (redis-server) the machine lacks did not run
const KataStatus = z.enum(["pass", "fail", "error", "timeout", "skip"]);

const Metric = z.object({
  /** the load test that measured it */
  test: z.string(),
  kind: z.enum(["load", "growth"]),
  /** what the learner's code and the reference measured, in the same process on the same workload */
  learner: z.record(z.string(), z.union([z.number(), z.boolean()])),
  reference: z.record(z.string(), z.union([z.number(), z.boolean()])),
  /** each budget of the kata that this measurement answers to */
  budgets: z.array(
    z.object({
      budget: z.string(),
      ratio: z.number().nullable(),
      limit: z.string(),
      ok: z.boolean(),
      reason: z.string(),
    }),
  ),
});

export const ResultsSchema = z.object({
  version: z.literal(RESULTS_VERSION),
  tool: z.literal("system-design-katas"),
  generatedAt: z.string(),
  /** the base seed of every random input: rerun with `npm run grade -- --seed N` */
  seed: z.number().int(),
  /** whose code was graded */
  target: z.enum(["learner", "reference"]),
  /** pass: every kata passes and every worksheet is right; fail otherwise; error: the run itself went wrong */
  status: z.enum(["pass", "fail", "error"]),
  environment: z.object({ node: z.string(), platform: z.string(), arch: z.string(), cpus: z.number().int() }),
  summary: z.object({
    katas: z.object({
      total: z.number().int(),
      pass: z.number().int(),
      fail: z.number().int(),
      error: z.number().int(),
      timeout: z.number().int(),
      skip: z.number().int(),
      todo: z.number().int(),
    }),
    worksheets: z.object({ total: z.number().int(), correct: z.number().int(), questions: z.number().int() }),
  }),
  katas: z.array(
    z.object({
      id: z.string(),
      chapter: z.string(),
      title: z.string(),
      status: KataStatus,
      /** the stub has not been started: every failure is "not implemented" */
      todo: z.boolean(),
      /** why it stopped: "timed out after 20 s in test …", "exceeded 512 MB …", "uses the reference …" */
      cause: z.string().optional(),
      durationMs: z.number(),
      tests: z.array(
        z.object({
          name: z.string(),
          fullName: z.string(),
          status: TestStatus,
          message: z.string().optional(),
          seed: z.number().int().optional(),
          durationMs: z.number(),
        }),
      ),
      metrics: z.array(Metric),
      /** a design problem's review: every requirement with its number, and the worst problems first */
      design: z
        .object({
          requirements: z.array(z.object({ requirement: z.string(), holds: z.boolean(), figure: z.string() })),
          problems: z.array(z.string()),
        })
        .optional(),
    }),
  ),
  worksheets: z.array(
    z.object({
      chapter: z.string(),
      correct: z.number().int(),
      answered: z.number().int(),
      total: z.number().int(),
      error: z.string().optional(),
      questions: z.array(
        z.object({
          id: z.string(),
          status: z.enum(["correct", "wrong", "unanswered", "invalid"]),
          answer: z.string().optional(),
          message: z.string(),
        }),
      ),
    }),
  ),
  /** the specs differ from the committed ones: the grade is not comparable */
  tampered: z.array(z.string()),
  /** errors the run had outside any kata */
  errors: z.array(z.string()),
});

export type Results = z.output<typeof ResultsSchema>;
