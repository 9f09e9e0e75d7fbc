import { z } from "zod";
import { RequirementsSchema } from "../design/requirements.ts";
import { InterviewSchema } from "../interview/schema.ts";
import { parseTolerance } from "../units/tolerance.ts";

const reason = z
  .string({ error: "expected a one-line reason (text)" })
  .min(10, { error: "expected a one-line reason of at least 10 characters" });

// every budget is a ratio learner ÷ reference, measured in the same run
const atLeast = z
  .object({
    min: z.number({ error: "expected a number" }).gt(0).lte(1, {
      error: "expected a ratio in (0, 1]: the learner may be at most this much slower",
    }),
    reason,
  })
  .strict();

const atMost = z
  .object({
    max: z.number({ error: "expected a number" }).gte(1, {
      error: "expected a ratio of at least 1: the reference itself measures about 1",
    }),
    reason,
  })
  .strict();

export const BudgetsSchema = z
  .object({
    /** learner ops/s ÷ reference ops/s, at least `min` */
    throughput: atLeast.optional(),
    /** learner median ns/op ÷ reference's, at most `max` */
    p50: atMost.optional(),
    /** learner 99th-percentile ns/op ÷ reference's, at most `max` */
    p99: atMost.optional(),
    /** learner growth (time at 10n ÷ time at n) ÷ reference growth, at most `max` */
    growth: atMost.optional(),
  })
  .strict();

/** how long a kata's spec may run in all, and the heap its worker may use */
const LimitsSchema = z
  .object({
    timeMs: z.number().int().min(1000, { error: "expected at least 1000 ms" }).max(600_000).optional(),
    memoryMb: z.number().int().min(64, { error: "expected at least 64 MB" }).max(16_384).optional(),
  })
  .strict();

export { DEFAULT_LIMITS } from "./limits.ts";

export const KataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
      error: "expected a kebab-case id such as token-bucket",
    }),
    title: z.string().min(3, { error: "expected a title" }),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)], {
      error: "expected 1 (30 min), 2 (1 h) or 3 (2 h+)",
    }),
    file: z.string().regex(/^[a-z0-9-]+\.ts$/, {
      error: "expected the stub's file name, such as token-bucket.ts",
    }),
    hints: z
      .array(z.string().min(10, { error: "expected a hint of at least 10 characters" }), {
        error: "expected a list of hints",
      })
      .min(2, { error: "expected 2 to 4 hints, from a nudge to nearly the answer" })
      .max(4, { error: "expected 2 to 4 hints, from a nudge to nearly the answer" }),
    budgets: BudgetsSchema,
    /** overrides the chapter's limits for this kata */
    limits: LimitsSchema.optional(),
    /** a lab's servers: the grade starts them (docs/grader.md, "Labs") and hands its code a connection */
    needs: z.array(z.enum(["postgres", "redis"])).default([]),
    /** a design problem's requirements: the kata's file is a whole design, graded against them */
    design: RequirementsSchema.optional(),
    /** a design problem's mock interview: prompts, rubric and follow-ups for npm run interview */
    interview: InterviewSchema.optional(),
  })
  .strict()
  .refine((kata) => kata.file === `${kata.id}.ts`, {
    error: (issue) => `expected file to be "${(issue.input as { id: string }).id}.ts", named after the id`,
    path: ["file"],
  })
  // the interview practises a design problem: its follow-ups and rubric belong with the requirements
  .refine((kata) => kata.interview === undefined || kata.design !== undefined, {
    error: "expected an interview only on a design problem, a kata with design: {...}",
    path: ["interview"],
  });

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: "expected a name usable in an expression: letters, digits and _",
});

export const QuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "expected a kebab-case id such as average-qps" }),
    prompt: z.string().min(20, { error: "expected the question, at least 20 characters" }),
    /** values the question gives, as expressions with units; an answer may use them by name */
    given: z
      .record(identifier, z.string().min(1, { error: "expected a value with a unit, such as 10M user" }))
      .default({}),
    /** the unit the answer is shown in; its dimension is what the answer must have */
    unit: z.string().min(1, { error: "expected the answer's unit, such as req/s" }),
    /** "10%", "2x" or "magnitude" */
    tolerance: z.string().refine((text) => parseTolerance(text) !== undefined, {
      error: 'expected "10%" (relative), "2x" (a factor) or "magnitude" (the same order of magnitude)',
    }),
    explanation: z.string().min(20, { error: "expected an explanation of at least 20 characters" }),
    /**
     * the givens a review draws anew, each from a range ["1M user", "100M user"]; the prompt names
     * them as {name}. {} says no given varies (a definition, a constant of nature)
     */
    vary: z
      .record(
        identifier,
        z.tuple([z.string(), z.string()], { error: 'expected a range such as ["1M user", "100M user"]' }),
      )
      .optional(),
  })
  .strict();

export const ChapterSchema = z
  .object({
    title: z.string().min(3, { error: "expected a title" }),
    summary: z.string().min(20, { error: "expected a summary of at least 20 characters" }),
    katas: z.array(KataSchema, { error: "expected a list of katas" }),
    worksheet: z.array(QuestionSchema, { error: "expected a list of questions" }).default([]),
    /** the limits of every kata in the chapter, unless a kata sets its own */
    limits: LimitsSchema.optional(),
  })
  .strict()
  .superRefine((chapter, ctx) => {
    const unique = (list: "katas" | "worksheet", ids: string[]) => {
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        if (seen.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: [list, index, "id"],
            message: `expected a unique id; "${id}" appears twice`,
          });
        }
        seen.add(id);
      });
    };
    unique(
      "katas",
      chapter.katas.map((kata) => kata.id),
    );
    unique(
      "worksheet",
      chapter.worksheet.map((question) => question.id),
    );
  });

export type ChapterInput = z.input<typeof ChapterSchema>;
export type ChapterManifest = z.output<typeof ChapterSchema>;
export type KataManifest = z.output<typeof KataSchema>;
export type Budgets = z.output<typeof BudgetsSchema>;
export type Question = z.output<typeof QuestionSchema>;
export type BudgetName = keyof Budgets;
