// The measured table as text: each operation, the chapter's figure, yours, and the ratio, with the
// method under each row. Kept apart from the CLI so a test reads exactly what a learner sees.
import { paint, stripAnsi } from "../report/text.ts";
import type { Measurement } from "./run.ts";

/** a duration in ns as the chapter writes them: "84 ns", "2.1 µs", "1.3 ms" */
export function duration(ns: number): string {
  const [value, unit] = ns >= 1e6 ? [ns / 1e6, "ms"] : ns >= 1e3 ? [ns / 1e3, "µs"] : [ns, "ns"];
  return `${Number(value.toPrecision(value >= 100 ? 3 : 2))} ${unit}`;
}

export function measureTable(measurement: Measurement): string {
  const rows = measurement.results.map((r) => [
    r.label,
    r.typicalNs !== undefined ? duration(r.typicalNs) : "—",
    duration(r.medianNs),
    r.typicalNs !== undefined ? `${Number((r.medianNs / r.typicalNs).toPrecision(2))}×` : "",
  ]);
  const head = ["operation", "chapter 01", "yours (median)", "yours ÷ chapter"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => stripAnsi(row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [paint.bold(line(head))];
  measurement.results.forEach((r, i) => {
    out.push(line(rows[i] ?? []));
    out.push(
      paint.dim(
        `  ${r.method}${r.chapterRow && r.chapterRow !== r.label ? `; beside the chapter's "${r.chapterRow}"` : ""}`,
      ),
    );
  });
  for (const s of measurement.skipped) out.push(paint.dim(`not measured: ${s.id}: ${s.why}`));
  const m = measurement.machine;
  out.push(
    paint.dim(
      `\n${m.model}, ${m.cpus} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}${measurement.quick ? "; quick: small working sets, short runs" : ""}`,
    ),
  );
  return out.join("\n");
}
