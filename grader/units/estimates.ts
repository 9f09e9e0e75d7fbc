import type { Value } from "./engine.ts";
import { type EvaluatedLine, parseScript, runScript } from "./script.ts";

/** a fenced ```estimate block of a markdown file */
export interface EstimateBlock {
  /** 1-based line of the first line inside the fence */
  startLine: number;
  text: string;
}

export interface EstimateResult {
  block: EstimateBlock;
  /** each line, with `line` counted in the markdown file */
  lines: EvaluatedLine[];
}

export interface EstimateProblem {
  file: string;
  line: number;
  message: string;
}

export function findEstimateBlocks(markdown: string): EstimateBlock[] {
  const blocks: EstimateBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```estimate\s*$/.test(lines[i] ?? "")) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    blocks.push({ startLine: start + 1, text: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

/**
 * Evaluates every estimate block of one markdown file, in order, in one
 * scope: a later block may use names from an earlier one.
 */
export function evaluateEstimates(markdown: string): EstimateResult[] {
  const scope: Record<string, Value> = {};
  return findEstimateBlocks(markdown).map((block) => ({
    block,
    lines: runScript(parseScript(block.text), scope).map((line) => ({
      ...line,
      line: line.line + block.startLine - 1,
    })),
  }));
}

/** every problem in a file's estimate blocks, as file:line and what is wrong */
export function estimateProblems(file: string, markdown: string): EstimateProblem[] {
  const problems: EstimateProblem[] = [];
  for (const result of evaluateEstimates(markdown)) {
    for (const line of result.lines) {
      if (!line.name)
        problems.push({
          file,
          line: line.line,
          message: "every line of an estimate block needs a name: `name = expression`",
        });
      if (line.problem) problems.push({ file, line: line.line, message: line.problem });
    }
  }
  return problems;
}
