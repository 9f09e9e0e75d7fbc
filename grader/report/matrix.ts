import type { MatrixReport } from "../matrix/run.ts";
import { paint, table } from "./text.ts";

/** the matrix as text: a block per kata, a line per target, then a summary line */
export function renderMatrix(report: MatrixReport, seconds: number): string {
  const out: string[] = [
    paint.bold(`Kata matrix (seed ${report.seed}): each spec against its reference, stub and mutants`),
  ];
  const katas = [...new Set(report.rows.map((r) => r.kata))];
  for (const kata of katas) {
    out.push(
      "",
      `${paint.bold(`${kata.chapter}/${kata.id}`)}  ${paint.dim(`${report.testsPerKata.get(kata.id) ?? 0} tests`)}`,
    );
    const rows = report.rows
      .filter((r) => r.kata === kata)
      .map((r) => [
        r.verdict.ok ? paint.green("✓") : paint.red("✗"),
        r.role === "mutant" ? `mutant ${r.label}` : r.role,
        r.verdict.ok ? r.verdict.summary : paint.red(r.verdict.summary),
      ]);
    out.push(...table(rows).map((line) => `  ${line}`));
  }
  for (const error of report.unhandled) out.push("", paint.red(`unhandled error: ${error.name}: ${error.message}`));
  const count = (role: string) => report.rows.filter((r) => r.role === role);
  const ok = (role: string) => count(role).filter((r) => r.verdict.ok).length;
  const bad = report.rows.filter((r) => !r.verdict.ok).length + report.unhandled.length;
  out.push(
    "",
    `${bad === 0 ? paint.green("Matrix holds") : paint.red(`Matrix broken in ${bad} place(s)`)}: ` +
      `${ok("reference")}/${count("reference").length} references pass, ` +
      `${ok("stub")}/${count("stub").length} stubs read as todo, ` +
      `${ok("mutant")}/${count("mutant").length} mutants killed, in ${seconds.toFixed(1)} s`,
  );
  return out.join("\n");
}
