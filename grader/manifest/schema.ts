import { z } from "zod";

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
  })
  .strict()
  .refine((kata) => kata.file === `${kata.id}.ts`, {
    error: (issue) => `expected file to be "${(issue.input as { id: string }).id}.ts", named after the id`,
    path: ["file"],
  });

export const ChapterSchema = z
  .object({
    title: z.string().min(3, { error: "expected a title" }),
    summary: z.string().min(20, { error: "expected a summary of at least 20 characters" }),
    katas: z.array(KataSchema, { error: "expected a list of katas" }),
  })
  .strict()
  .superRefine((chapter, ctx) => {
    const seen = new Set<string>();
    chapter.katas.forEach((kata, index) => {
      if (seen.has(kata.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["katas", index, "id"],
          message: `expected a unique id; "${kata.id}" appears twice`,
        });
      }
      seen.add(kata.id);
    });
  });

export type ChapterInput = z.input<typeof ChapterSchema>;
export type ChapterManifest = z.output<typeof ChapterSchema>;
export type KataManifest = z.output<typeof KataSchema>;
export type Budgets = z.output<typeof BudgetsSchema>;
export type BudgetName = keyof Budgets;
