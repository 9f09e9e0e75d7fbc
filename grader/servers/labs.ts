// The servers a run's labs need, started once per grade (the first run that needs one starts it,
// later runs of the same grade share it) and stopped when the grade's process exits. The server
// modules load only when a lab is graded: a grade of anything else pays nothing for them.
import type { SpecJob } from "../run/run-specs.ts";

export type ServerName = "postgres" | "redis";

interface Urls {
  adminUrl: string;
  labUrls: Record<"learner" | "reference", string>;
}

export interface LabServers {
  postgres?: Urls;
  redis?: Urls;
  /** why a server a lab needs is not there, for its tests to say */
  problems?: string[];
  /** servers this machine lacks, with how to get each: their labs are skipped, not failed */
  missing?: Partial<Record<ServerName, string>>;
}

type Started = Urls | { problem: string } | { missing: string };
const starting = new Map<ServerName, Promise<Started>>();

async function start(name: ServerName, root: string, env: NodeJS.ProcessEnv): Promise<Started> {
  try {
    if (name === "postgres") {
      const { startPostgres } = await import("./postgres.ts");
      const { adminUrl, labUrls } = await startPostgres(root);
      return { adminUrl, labUrls };
    }
    const { startRedis } = await import("./redis.ts");
    const { adminUrl, labUrls } = await startRedis(root);
    return { adminUrl, labUrls };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // CI sets REQUIRE_REDIS: there a missing redis-server fails the labs rather than skipping them
    if (error instanceof Error && error.name === "RedisMissing" && !env.REQUIRE_REDIS) return { missing: message };
    return { problem: `the labs' ${name === "postgres" ? "PostgreSQL" : "Redis"} could not start: ${message}` };
  }
}

export async function labServersFor(
  root: string,
  jobs: SpecJob[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<LabServers | undefined> {
  const needs = [...new Set(jobs.flatMap((job) => job.kata.needs ?? []))].sort();
  if (needs.length === 0) return undefined;
  const servers: LabServers = {};
  // both start at once; a server that cannot start is said in the lab's tests, not thrown at the whole grade
  for (const name of needs) if (!starting.has(name)) starting.set(name, start(name, root, env));
  for (const name of needs) {
    const started = await (starting.get(name) as Promise<Started>);
    if ("missing" in started) servers.missing = { ...servers.missing, [name]: started.missing };
    else if ("problem" in started) servers.problems = [...(servers.problems ?? []), started.problem];
    else servers[name] = started;
  }
  return servers;
}

/** what a job's lab lacks on this machine, if anything: such a job is skipped with this said */
export function missingFor(job: SpecJob, servers: LabServers | undefined): string | undefined {
  const lacks = (job.kata.needs ?? []).map((name) => servers?.missing?.[name]).filter(Boolean);
  return lacks.length > 0 ? lacks.join("; ") : undefined;
}
