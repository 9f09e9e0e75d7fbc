/** the one test of a worksheet job (contained.ts): a worksheet that stops in it stopped while it loaded */
export const WORKSHEET_TEST = "grades the worksheet";

/** what a worksheet file gave for each question id: text, or a note of what was wrong with the entry */
export interface Answers {
  entries: Map<string, { text: string } | { problem: string }>;
  /** the file could not be imported at all */
  loadError?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape sequences of a colored message
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * "the worksheet did not load at line 2, column 59: Expected `}` but found `EOF`":
 * what an error a worksheet raised while it loaded says, and where, as far as
 * it tells. A parser's message comes colored and boxed; only its words are kept.
 */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return `the worksheet did not load: it threw ${String(error)}`;
  const { loc } = error as Error & { loc?: { line?: number; column?: number } };
  const text = error.message.replace(ANSI, "");
  const position = /\.ts:(\d+):(\d+)/.exec(text);
  const line = loc?.line ?? (position ? Number(position[1]) : undefined);
  const column = loc?.column ?? (position ? Number(position[2]) : undefined);
  const said = text
    .split("\n")
    .map(
      (part) =>
        part
          .split(/[╭│─]/)[0]
          ?.replace(/^\[[A-Z_]+\]\s*/, "")
          .trim() ?? "",
    )
    .filter((part) => part && !/^Transform failed/.test(part))[0];
  const at = line === undefined ? "" : ` at line ${line}${column === undefined ? "" : `, column ${column}`}`;
  const name = error.name === "Error" || error.name === "SyntaxError" ? "" : `${error.name}: `;
  return `the worksheet did not load${at}: ${name}${said ?? text}`;
}

/**
 * A worksheet module's answers, checked entry by entry, so one bad entry does
 * not hide the others. `module` is what importing the file gave.
 */
export function answersOf(module: unknown): Answers {
  const entries = new Map<string, { text: string } | { problem: string }>();
  const answers = (module as { default?: unknown } | null)?.default;
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) {
    return {
      entries,
      loadError: "the worksheet's default export should be defineWorksheet({ ... }), an object of answers",
    };
  }
  for (const [id, value] of Object.entries(answers)) {
    if (typeof value === "string") entries.set(id, { text: value });
    else
      entries.set(id, {
        problem: `expected the answer as text, such as "2315 req/s", not ${JSON.stringify(value) ?? typeof value}`,
      });
  }
  return { entries };
}

/**
 * Imports a worksheet into this process: for the course's own files (the
 * reference answers, the blank stubs), never a learner's, which is graded
 * contained (contained.ts).
 */
export async function loadAnswers(file: string): Promise<Answers> {
  try {
    // loaded here, not with this module, which workers load too (contained.ts)
    const { importCourseModule } = await import("../manifest/course-module.ts");
    return answersOf(await importCourseModule(file));
  } catch (error) {
    return { entries: new Map(), loadError: describeLoadError(error) };
  }
}
