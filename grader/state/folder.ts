import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * `.grade/`, the grader's own state: progress, backups, traces, the test files
 * of a run. The learner never has to look after it. Whatever stands where the
 * grader expects a folder or a file of its own (a file named .grade, a folder
 * named progress.json, a link that would lead the grader's writes somewhere
 * else) is set aside under a new name, never deleted, and the run goes on;
 * each such note is said once, in one line.
 */

const notes: string[] = [];

/** what was set aside since the last call, one line each */
export function takeStateNotes(): string[] {
  return notes.splice(0);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/** moves whatever is at `file` out of the way, and says where it went */
function setAside(root: string, file: string, what: string): void {
  let aside = `${file}.set-aside-${stamp()}`;
  for (let n = 2; exists(aside); n++) aside = `${file}.set-aside-${stamp()}-${n}`;
  renameSync(file, aside);
  notes.push(
    `note: ${path.relative(root, file)} was ${what}; it is set aside as ${path.relative(root, aside)}, and the grader keeps its state afresh`,
  );
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function kindOf(file: string): "missing" | "directory" | "file" | "link" | "other" {
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return "link";
    if (stat.isDirectory()) return "directory";
    return stat.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/** makes each folder from the root down to `dir` a real folder, setting aside what is in the way */
function ensureFolder(root: string, dir: string): void {
  const parts = path.relative(root, dir).split(path.sep).filter(Boolean);
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    const kind = kindOf(current);
    if (kind === "directory") continue;
    if (kind !== "missing") setAside(root, current, kind === "link" ? "a link" : "not a folder");
    try {
      mkdirSync(current);
    } catch (error) {
      // made meanwhile by another process of the grade (its runner makes .grade/ as it starts):
      // a folder is all that was wanted
      if ((error as { code?: string }).code !== "EEXIST" || kindOf(current) !== "directory") throw error;
    }
  }
}

/** `.grade/<parts>` as a folder that is really there, in the project */
export function stateFolder(root: string, ...parts: string[]): string {
  const dir = path.join(root, ".grade", ...parts);
  ensureFolder(root, dir);
  return dir;
}

/**
 * Writes `.grade/<parts>` whole: a temporary file beside it, then a rename, so
 * a reader never sees half a file and nothing is written through a link.
 */
export function writeStateFile(root: string, parts: string[], text: string): string {
  const file = path.join(stateFolder(root, ...parts.slice(0, -1)), parts[parts.length - 1] ?? "");
  const kind = kindOf(file);
  if (kind === "directory" || kind === "other") setAside(root, file, "not a file");
  writeWhole(file, text);
  return file;
}

/** a temporary file, then a rename over `file`: it replaces a link rather than writing through it */
export function writeWhole(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
