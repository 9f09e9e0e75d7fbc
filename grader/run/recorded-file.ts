// What recorded.ts and prestart.ts share, without zod: prestart.ts runs before the grader loads.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";

/** what every untouched stub and blank worksheet reports, kept by the matrix (recorded.ts reads it) */
export const RECORD_FILE = "grader/stub-outcomes.json";

export const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/**
 * Whether the learner's file is still its pristine stub: a file of its own (not a link), the same
 * bytes, and nothing it could import from its folder (a stub imports only #kit).
 */
export function isPristine(root: string, file: string, stubHash: string | undefined): boolean {
  const at = path.join(root, file);
  try {
    if (!lstatSync(at).isFile()) return false;
    const bytes = readFileSync(at);
    return sha256(bytes) === stubHash && !/["'`]\.\.?\//.test(bytes.toString("utf8"));
  } catch {
    return false;
  }
}
