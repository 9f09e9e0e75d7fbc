// Runs the probes with tinybench (one bench a probe, so each prepares and cleans up alone) and
// keeps each probe's median: the middle of many timed calls, which one slow call cannot move.
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Bench } from "tinybench";
import { z } from "zod";
import { stateFolder } from "../state/folder.ts";
import { POSTGRES_PROBE, PROBES, type Probe } from "./probes.ts";
import { chapterLatencies } from "./typical.ts";

export const MEASUREMENT_VERSION = 1;

export interface Measured {
  id: string;
  label: string;
  method: string;
  /** the median time of one operation, in ns */
  medianNs: number;
  /** timed calls (each `batch` operations) */
  samples: number;
  /** the chapter's row and its figure, if the probe has one */
  chapterRow?: string;
  typicalNs?: number;
}

export interface Measurement {
  version: typeof MEASUREMENT_VERSION;
  measuredAt: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string; platform: string };
  quick: boolean;
  results: Measured[];
  /** probes that could not run here, with why (the PostgreSQL probe without the labs' cluster) */
  skipped: { id: string; why: string }[];
}

export interface MeasureOptions {
  /** smaller working sets and a tenth of the time: for tests */
  quick?: boolean;
  /** only these probes */
  only?: string[];
  /** a running PostgreSQL to time SELECT 1 against */
  postgresUrl?: string;
  /** told as each probe finishes */
  onProbe?: (result: Measured) => void;
}

export async function measure(root: string, options: MeasureOptions = {}): Promise<Measurement> {
  const quick = options.quick ?? false;
  const scratch = stateFolder(root, "measure");
  const chapter = chapterLatencies(root);
  const probes = [...PROBES, ...(options.postgresUrl ? [POSTGRES_PROBE] : [])].filter(
    (probe) => !options.only || options.only.includes(probe.id),
  );
  const results: Measured[] = [];
  const skipped: Measurement["skipped"] = [];
  try {
    for (const probe of probes) {
      const context = { scratch, quick, ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}) };
      const result = await timeProbe(probe, context, quick);
      const typicalNs = probe.chapterRow ? chapter.get(probe.chapterRow) : undefined;
      const measured: Measured = {
        id: probe.id,
        label: probe.label,
        method: probe.method(quick),
        ...result,
        ...(probe.chapterRow && typicalNs !== undefined ? { chapterRow: probe.chapterRow, typicalNs } : {}),
      };
      results.push(measured);
      options.onProbe?.(measured);
    }
  } finally {
    // the read probes' 256 MB file is the learner's disk space: never left behind
    for (const file of ["read-256mb.bin", "read-16mb.bin", "fsync.log"])
      if (existsSync(path.join(scratch, file))) rmSync(path.join(scratch, file), { force: true });
  }
  if (!options.postgresUrl && (!options.only || options.only.includes(POSTGRES_PROBE.id)))
    skipped.push({
      id: POSTGRES_PROBE.id,
      why: "the labs' PostgreSQL is not initialised: grade a lab once (npm run grade -- pg-job-queue)",
    });
  const cpus = os.cpus();
  return {
    version: MEASUREMENT_VERSION,
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model.trim() ?? "unknown",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    quick,
    results,
    skipped,
  };
}

async function timeProbe(
  probe: Probe,
  context: Parameters<Probe["prepare"]>[0],
  quick: boolean,
): Promise<{ medianNs: number; samples: number }> {
  const prepared = await probe.prepare(context);
  try {
    const bench = new Bench({
      time: quick ? 60 : 600,
      warmupTime: quick ? 10 : 100,
      iterations: 20,
      throws: true,
    });
    bench.add(probe.id, prepared.run);
    await bench.run();
    const task = bench.tasks[0];
    const result = task?.result;
    if (result?.state !== "completed")
      throw new Error(`${probe.id}: the benchmark did not complete (${result?.state ?? "no result"})`);
    return { medianNs: (result.latency.p50 * 1e6) / probe.batch, samples: result.latency.samplesCount };
  } finally {
    await prepared.close?.();
  }
}

const MeasurementSchema = z.object({
  version: z.literal(MEASUREMENT_VERSION),
  measuredAt: z.string(),
  machine: z.object({
    cpus: z.number(),
    model: z.string(),
    memoryGb: z.number(),
    node: z.string(),
    platform: z.string(),
  }),
  quick: z.boolean(),
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      method: z.string(),
      medianNs: z.number().positive(),
      samples: z.number(),
      chapterRow: z.string().optional(),
      typicalNs: z.number().optional(),
    }),
  ),
  skipped: z.array(z.object({ id: z.string(), why: z.string() })),
});

/** .grade/measure.json as `npm run measure` left it; undefined if there is none or it is not one */
export function readMeasurement(root: string): Measurement | undefined {
  const file = path.join(root, ".grade", "measure.json");
  if (!existsSync(file)) return undefined;
  try {
    const parsed = MeasurementSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? (parsed.data as Measurement) : undefined;
  } catch {
    return undefined;
  }
}
