// The servers a run's labs need, started once per grade (the first run that needs one starts it,
// later runs of the same grade share it) and stopped when the grade's process exits. The server
// modules load only when a lab is graded: a grade of anything else pays nothing for them.
import type { SpecJob } from "../run/run-specs.ts";

export interface LabServers {
  postgres?: { adminUrl: string; labUrls: Record<"learner" | "reference", string> };
  /** why a server a lab needs is not there, for its tests to say */
  problems?: string[];
}

let postgres: Promise<NonNullable<LabServers["postgres"]> | string> | undefined;

export async function labServersFor(root: string, jobs: SpecJob[]): Promise<LabServers | undefined> {
  const needs = new Set(jobs.flatMap((job) => job.kata.needs ?? []));
  if (!needs.has("postgres")) return undefined;
  // a server that cannot start is said in the lab's tests, not thrown at the whole grade
  postgres ??= (async () => {
    try {
      const { startPostgres } = await import("./postgres.ts");
      const server = await startPostgres(root);
      return { adminUrl: server.adminUrl, labUrls: server.labUrls };
    } catch (error) {
      return `the labs' PostgreSQL could not start: ${error instanceof Error ? error.message : String(error)}`;
    }
  })();
  const started = await postgres;
  return typeof started === "string" ? { problems: [started] } : { postgres: started };
}
