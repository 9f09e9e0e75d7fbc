import { describeDimension, sameDimension } from "./dimension.ts";
import { evaluate, isUnitName, magnitude, UnitsError, type Value } from "./engine.ts";

/**
 * A script is a few lines of `name = expression`, each line able to use the
 * names above it, as in an estimate block or a worked answer:
 *
 *   dau = 10M user
 *   average = dau * 20 req/day to req/s   => 2,315 req/s   # stated result, checked
 *
 * `# ...` is a comment; `=> ...` states the result the text claims, which must be
 * within 1% of what the line computes.
 */
export interface ScriptLine {
  /** 1-based line number within the script */
  line: number;
  name?: string;
  expression: string;
  stated?: string;
  comment?: string;
}

export interface EvaluatedLine extends ScriptLine {
  value?: Value;
  statedValue?: Value;
  /** what is wrong with the line, if anything */
  problem?: string;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?![=>])\s*(.*)$/;

export function parseScript(text: string): ScriptLine[] {
  const lines: ScriptLine[] = [];
  text.split("\n").forEach((raw, index) => {
    const hash = raw.indexOf("#");
    const comment = hash >= 0 ? raw.slice(hash + 1).trim() : undefined;
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!body) return;
    const arrow = body.indexOf("=>");
    const statement = (arrow >= 0 ? body.slice(0, arrow) : body).trim();
    const stated = arrow >= 0 ? body.slice(arrow + 2).trim() : undefined;
    const assignment = ASSIGNMENT.exec(statement);
    const line: ScriptLine = { line: index + 1, expression: assignment ? (assignment[2] ?? "") : statement };
    if (assignment?.[1]) line.name = assignment[1];
    if (stated !== undefined) line.stated = stated;
    if (comment) line.comment = comment;
    lines.push(line);
  });
  return lines;
}

/** what a computed value must not be: for messages such as "is not a number" */
export function badValue(value: Value): string | undefined {
  const n = magnitude(value);
  if (Number.isNaN(n)) return "is not a number (NaN)";
  if (!Number.isFinite(n)) return "is infinite";
  return undefined;
}

/** within 1%, in the same dimension */
export function checkStated(value: Value, stated: Value): string | undefined {
  if (!sameDimension(value, stated)) {
    return `the text states ${describeDimension(stated)}, but the line computes ${describeDimension(value)}`;
  }
  const computed = magnitude(value);
  const claimed = magnitude(stated);
  const off = Math.abs(computed - claimed) / Math.max(Math.abs(computed), Number.MIN_VALUE);
  if (off > 0.01) return `off by ${(off * 100).toFixed(1)}%`;
  return undefined;
}

/**
 * Evaluates the lines in order into `scope` (which it extends). Every line is
 * tried; problems are reported per line rather than thrown.
 */
export function runScript(lines: ScriptLine[], scope: Record<string, Value> = {}): EvaluatedLine[] {
  return lines.map((line) => {
    const evaluated: EvaluatedLine = { ...line };
    try {
      evaluated.value = evaluate(line.expression, scope);
    } catch (error) {
      evaluated.problem = `could not read "${line.expression}": ${error instanceof UnitsError ? error.message : String(error)}`;
      return evaluated;
    }
    const bad = badValue(evaluated.value);
    if (bad) evaluated.problem = `${line.name ?? "the expression"} ${bad}`;
    if (line.name) scope[line.name] = evaluated.value;
    // the name is bound all the same, so the lines below report their own problems, not this one's
    if (line.name && isUnitName(line.name)) {
      evaluated.problem = `"${line.name}" is the name of a unit; call it something else, or "1 ${line.name}" changes meaning`;
      return evaluated;
    }
    if (line.stated !== undefined && !evaluated.problem) {
      try {
        evaluated.statedValue = evaluate(line.stated, scope);
        const mismatch = checkStated(evaluated.value, evaluated.statedValue);
        if (mismatch) evaluated.problem = `stated ${line.stated}: ${mismatch}`;
      } catch (error) {
        evaluated.problem = `could not read the stated result "${line.stated}": ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return evaluated;
  });
}

/** the unit a line is best shown in: its stated result's, its `to ...` target's, or its literal's */
export function displayUnit(line: ScriptLine): string | undefined {
  // a number followed by nothing but unit words joined by / or *: "2,315 req/s", "50 B/user"
  const word = "[A-Za-z$][A-Za-z0-9_]*(?:\\^-?\\d+)?";
  const literal = new RegExp(`^\\s*-?[\\d.,]+(?:e-?\\d+)?[kKMBT]?\\s+(${word}(?:\\s*[/*]\\s*${word})*)\\s*$`);
  const fromStated = line.stated ? literal.exec(line.stated)?.[1] : undefined;
  if (fromStated) return fromStated.trim();
  const target = /\s(?:to|in)\s+([^()]+)$/.exec(line.expression)?.[1];
  if (target) return target.trim();
  return literal.exec(line.expression)?.[1]?.trim();
}
