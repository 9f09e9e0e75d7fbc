import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

// color only on a terminal, unless NO_COLOR or FORCE_COLOR says otherwise
const color = process.env.FORCE_COLOR
  ? process.env.FORCE_COLOR !== "0"
  : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

function style(format: Style) {
  return (text: string) => (color ? styleText(format, text) : text);
}

export const paint = {
  bold: style("bold"),
  dim: style("dim"),
  green: style("green"),
  red: style("red"),
  yellow: style("yellow"),
  cyan: style("cyan"),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** text that may carry colors from elsewhere (vitest's diffs), plain when we print without color */
export function colored(text: string): string {
  return color ? text : stripAnsi(text);
}

export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/** columns padded to their widest cell; `right` lists the columns aligned right */
export function table(rows: string[][], right: number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - visibleLength(cell));
        return right.includes(i) ? pad + cell : i === row.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}

export function indent(text: string, by = 4): string {
  const pad = " ".repeat(by);
  return text
    .split("\n")
    .map((line) => (line ? pad + line : line))
    .join("\n");
}

/** at most `max` lines, with a note of how many were left out */
export function clip(text: string, max: number): string {
  const lines = text.split("\n");
  if (lines.length <= max) return text;
  return [...lines.slice(0, max), `… ${lines.length - max} more lines`].join("\n");
}

export function quoteArg(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** words wrapped to `width` columns, every line after the first indented by `hang` spaces */
export function wrap(text: string, width: number, hang = 0): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const limit = lines.length === 0 ? width : width - hang;
    if (line && visibleLength(line) + 1 + visibleLength(word) > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : " ".repeat(hang) + l)).join("\n");
}
