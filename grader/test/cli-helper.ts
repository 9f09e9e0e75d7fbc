// runs the grader's commands as a learner would, against a fixture project
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repo = fileURLToPath(new URL("../..", import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export type Command = "grade" | "matrix" | "hint" | "reset" | "compare" | "mutant";

/** a command of the grader, run on a project (a fixture's name, or an absolute path) */
export async function cli(
  command: Command,
  args: string[],
  project = "project",
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const root = path.isAbsolute(project) ? project : fixture(project);
  const environment: NodeJS.ProcessEnv = { ...process.env, SDK_ROOT: root, NO_COLOR: "1", SDK_WORKERS: "1", ...env };
  delete environment.FORCE_COLOR;
  const started = performance.now();
  try {
    // npm run grade starts from its launcher (plain JavaScript, the CLI's build); the others under tsx
    const start =
      command === "grade" ? ["grader/launch/grade.mjs"] : ["--import", "tsx/esm", `grader/cli/${command}.ts`];
    const { stdout, stderr } = await run(process.execPath, [...start, ...args], {
      cwd: repo,
      env: environment,
    });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, ms: performance.now() - started };
  }
}

/**
 * A fresh copy of a fixture project that a test may change. It sits at the
 * fixtures' own depth in the repository, so its tsconfig and #kit still resolve.
 */
export function copyOf(name: string, as: string): string {
  const target = path.join(repo, "grader", "test", ".scratch", `${as}-${process.pid}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(fixture(name), target, { recursive: true });
  return target;
}
