import { z } from "zod";

/**
 * A design problem's mock interview (`interview: {...}` beside `design: {...}` in a chapter
 * manifest): what the interviewer asks in each phase, what a strong answer covers, and the
 * follow-up questions of the deep dive with their model answers. `npm run interview` walks it.
 */

/** the phases of a design interview, in the order they run */
export const PHASES = ["clarify", "estimate", "design", "deepDive", "wrapUp"] as const;
export type PhaseId = (typeof PHASES)[number];

export const PHASE_NAMES: Record<PhaseId, string> = {
  clarify: "Clarify",
  estimate: "Estimate",
  design: "High-level design",
  deepDive: "Deep dive",
  wrapUp: "Wrap-up",
};

/** the split of a 45-minute interview; `--minutes` scales every phase alike */
export const DEFAULT_MINUTES: Record<PhaseId, number> = {
  clarify: 5,
  estimate: 10,
  design: 15,
  deepDive: 10,
  wrapUp: 5,
};

const text = (what: string, least: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .min(least, { error: `expected ${what} of at least ${least} characters` });

function phaseSchema(id: PhaseId) {
  return z
    .object(
      {
        /** the phase's share of the interview, in minutes of the default split */
        minutes: z
          .number({ error: "expected the phase's minutes of a 45-minute interview (a number)" })
          .positive({ error: "expected a positive number of minutes" })
          .max(45, { error: "expected at most 45 minutes: a phase is a share of one interview" })
          .default(DEFAULT_MINUTES[id]),
        /** what the interviewer says, one at a time */
        prompts: z
          .array(text("the interviewer's prompt", 20), { error: "expected a list of prompts" })
          .min(1, { error: "expected at least one prompt: what the interviewer asks in this phase" }),
        /** what a strong answer covers, shown after the interview */
        rubric: z
          .array(text("a point a strong answer covers", 15), { error: "expected a list of rubric points" })
          .min(2, { error: "expected at least 2 rubric points: what a strong answer covers" }),
      },
      { error: `expected the ${PHASE_NAMES[id].toLowerCase()} phase: { prompts: [...], rubric: [...] }` },
    )
    .strict();
}

export const FollowUpSchema = z
  .object({
    question: text("the follow-up question", 15),
    answer: text("a model answer", 80),
  })
  .strict();

export const InterviewSchema = z
  .object({
    phases: z
      .object(
        {
          clarify: phaseSchema("clarify"),
          estimate: phaseSchema("estimate"),
          design: phaseSchema("design"),
          deepDive: phaseSchema("deepDive"),
          wrapUp: phaseSchema("wrapUp"),
        },
        { error: "expected the phases: clarify, estimate, design, deepDive and wrapUp" },
      )
      .strict(),
    /** asked one at a time during the deep dive; their answers are shown at the end */
    followUps: z
      .array(FollowUpSchema, { error: "expected a list of follow-ups" })
      .min(3, { error: "expected at least 3 follow-up questions, each with a model answer" }),
  })
  .strict();

export type Interview = z.output<typeof InterviewSchema>;
export type InterviewPhase = Interview["phases"][PhaseId];
export type FollowUp = z.output<typeof FollowUpSchema>;
