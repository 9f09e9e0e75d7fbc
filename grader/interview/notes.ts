import { type Interview, PHASE_NAMES, type PhaseId } from "./schema.ts";

/**
 * The learner's notes of one mock interview, as Markdown: what was asked, what they typed, how
 * long each phase took. The rubric and the model answers are written only once the interview
 * reached its review: the file holds what the learner saw, so a stopped attempt spoils nothing.
 */

export interface Question {
  kind: "prompt" | "follow-up";
  text: string;
  /** a follow-up's model answer */
  answer?: string;
  /** what the learner typed while it was on screen */
  lines: string[];
  asked: boolean;
}

export interface PhaseRecord {
  id: PhaseId;
  boxMs: number;
  spentMs: number;
  startedAt?: number;
  ended: "done" | "skipped" | "time" | "stopped" | "not reached";
  questions: Question[];
}

const ENDINGS: Record<PhaseRecord["ended"], string> = {
  done: "",
  skipped: ", skipped",
  time: ", time ran out",
  stopped: ", stopped here",
  "not reached": ", not reached",
};

/** 7:05 */
export function clockTime(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function formatNotes(session: {
  problem: { id: string; title: string; interview: Interview };
  began: number;
  minutes: number;
  phases: PhaseRecord[];
  /** the rubric and the model answers were shown: the interview reached its review */
  reviewed: boolean;
  /** the scores the learner gave, once the interview was finished */
  scores?: Record<PhaseId, number> | undefined;
  /** where the learner stopped, when they did: "deep dive", "the review" */
  stoppedIn?: string | undefined;
}): string {
  const { problem, phases, scores } = session;
  const out: string[] = [
    `# Mock interview: ${problem.title}`,
    "",
    `- problem: ${problem.id}`,
    `- started: ${new Date(session.began).toISOString()}`,
    `- minutes: ${session.minutes}`,
    `- ${scores ? "finished" : `stopped during ${session.stoppedIn ?? "the interview"}`}`,
  ];
  for (const phase of phases) {
    if (phase.ended === "not reached") continue;
    out.push(
      "",
      `## ${PHASE_NAMES[phase.id]} (${clockTime(phase.spentMs)} of ${clockTime(phase.boxMs)}${ENDINGS[phase.ended]})`,
    );
    let followUp = 0;
    for (const question of phase.questions) {
      if (!question.asked) continue;
      const label = question.kind === "prompt" ? "Interviewer" : `Follow-up ${++followUp}`;
      out.push("", `**${label}:** ${question.text}`, "");
      out.push(...(question.lines.length > 0 ? question.lines : ["(nothing typed)"]));
    }
  }
  if (session.reviewed) {
    out.push("", "## Review");
    for (const phase of phases) {
      out.push(
        "",
        `### ${PHASE_NAMES[phase.id]}${scores ? `: you scored ${scores[phase.id]} of 4` : ""}`,
        "",
        "A strong answer covers:",
        "",
      );
      out.push(...problem.interview.phases[phase.id].rubric.map((point) => `- ${point}`));
    }
    out.push("", "### Follow-ups and model answers");
    problem.interview.followUps.forEach((followUp, i) => {
      out.push("", `${i + 1}. **${followUp.question}**`, "", `   ${followUp.answer}`);
    });
  }
  return `${out.join("\n")}\n`;
}
