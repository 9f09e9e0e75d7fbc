import { pathToFileURL } from "node:url";

/** what a worksheet file gave for each question id: text, or a note of what was wrong with the entry */
export interface Answers {
  entries: Map<string, { text: string } | { problem: string }>;
  /** the file could not be imported at all */
  loadError?: string;
}

/**
 * Imports a worksheet module (katas/NN-slug/worksheet.ts or its reference) and
 * checks its shape entry by entry, so one bad entry does not hide the others.
 */
export async function loadAnswers(file: string, fresh = false): Promise<Answers> {
  const entries = new Map<string, { text: string } | { problem: string }>();
  let module: { default?: unknown };
  try {
    const url = pathToFileURL(file).href + (fresh ? `?at=${Date.now()}` : "");
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    return { entries, loadError: `the worksheet did not load: ${message}` };
  }
  const answers = module.default;
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
