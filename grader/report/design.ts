// A design problem's review in the report: the problems that matter most first, then every
// requirement with its number; with --trace, each flow's steps and their share of its time.
import type { DesignReview } from "../run/outcome.ts";
import { paint } from "./text.ts";

const ms = (value: number) => (Number.isFinite(value) ? `${Number(value.toPrecision(3))} ms` : "unbounded");

export function renderReview(review: DesignReview, options: { trace?: boolean } = {}): string[] {
  const out: string[] = [];
  if (review.problems.length > 0) {
    out.push(`  ${paint.bold("What to fix first")}`);
    for (const [index, problem] of review.problems.entries()) out.push(`    ${index + 1}. ${problem}`);
    if (review.more > 0) out.push(paint.dim(`    … and ${review.more} more in the table below`));
    out.push("");
  }
  out.push(`  ${paint.bold("Requirements")}`);
  const width = Math.min(72, Math.max(...review.rows.map((row) => row.requirement.length)));
  for (const row of review.rows) {
    const mark = row.holds ? paint.green("✓") : paint.red("✗");
    out.push(`    ${mark} ${row.requirement.padEnd(width)}  ${paint.dim(row.figure)}`);
  }
  if (options.trace) {
    for (const trace of review.traces) {
      const total = trace.typical.reduce((sum, step) => sum + step.ms, 0);
      out.push(
        "",
        `  ${paint.bold(`Trace: a ${trace.flow} request, hop by hop`)} ${paint.dim(`(mean ${ms(total)}, p99 ${ms(trace.p99)}; each hop's mean and share, and its mean in the slowest 1%)`)}`,
      );
      trace.typical.forEach((step, index) => {
        const share = total > 0 ? Math.round((step.ms / total) * 100) : 0;
        const slow = trace.slowest[index]?.ms ?? 0;
        out.push(
          `    ${String(index + 1).padStart(2)}. ${step.step.padEnd(28)} ${ms(step.ms).padStart(10)}  ${`${share}%`.padStart(4)} ${paint.dim(`slowest 1%: ${ms(slow)}`)}`,
        );
      });
    }
  } else if (review.traces.length > 0) {
    out.push(paint.dim("    --trace follows one request of each flow hop by hop"));
  }
  return out;
}
