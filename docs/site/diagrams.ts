/** a diagram mermaid cannot parse: an error with the file and line, not a blank box on the page */
export interface DiagramProblem {
  file: string;
  line: number;
  message: string;
}

type Mermaid = { initialize(config: object): void; parse(text: string): Promise<unknown> };
let loaded: Promise<Mermaid> | undefined;

// mermaid's parser wants a DOM (for DOMPurify): jsdom gives it one, once per process
async function mermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const { JSDOM } = await import("jsdom");
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    const global = globalThis as Record<string, unknown>;
    global.window ??= dom.window;
    global.document ??= dom.window.document;
    const module = (await import("mermaid")) as unknown as { default: Mermaid };
    module.default.initialize({ startOnLoad: false });
    return module.default;
  })();
  return loaded;
}

export async function checkDiagrams(
  diagrams: ReadonlyArray<{ file: string; line: number; source: string }>,
): Promise<DiagramProblem[]> {
  if (diagrams.length === 0) return [];
  const parser = await mermaid();
  const problems: DiagramProblem[] = [];
  for (const diagram of diagrams) {
    try {
      await parser.parse(diagram.source);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split("\n").slice(0, 2).join(" ");
      problems.push({
        file: diagram.file,
        line: diagram.line,
        message: `mermaid cannot parse this diagram: ${message}`,
      });
    }
  }
  return problems;
}
