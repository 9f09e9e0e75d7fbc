import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildBundle } from "../launch/bundle.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** a folder of TypeScript sources to build: an entry that imports a module only when asked */
function sources(entry: string): { dir: string; entry: string; built: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sdk-bundle-"));
  made.push(dir);
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src", "later.ts"), 'export const later: string = "loaded when asked";\n');
  writeFileSync(path.join(dir, "src", "entry.ts"), entry);
  return { dir, entry: path.join(dir, "src", "entry.ts"), built: path.join(dir, "builds", "abc123", "entry.mjs") };
}

describe("buildBundle: the grader's TypeScript as JavaScript Node runs without a loader", () => {
  it("builds an importable module, a chunk apart for what it imports only when asked, and its own import.meta.url", async () => {
    const { entry, built } = sources(
      'export const here: string = import.meta.url;\nexport const later = () => import("./later.ts").then((m) => m.later);\n',
    );
    expect(await buildBundle(entry, built)).toBe(true);
    const module = (await import(pathToFileURL(built).href)) as { here: string; later: () => Promise<string> };
    expect(module.here).toBe(pathToFileURL(entry).href);
    expect(await module.later()).toBe("loaded when asked");
    expect(readdirSync(path.join(path.dirname(built), "chunks")).length).toBeGreaterThan(0);
  });

  it("says false for sources that do not build, and leaves nothing half built", async () => {
    const { dir, entry, built } = sources("export const broken: = ;\n");
    expect(await buildBundle(entry, built)).toBe(false);
    expect(existsSync(path.dirname(built))).toBe(false);
    const builds = path.join(dir, "builds");
    expect(existsSync(builds) ? readdirSync(builds) : []).toEqual([]);
  });

  it("lets two commands build the same sources at once: both end with the one build", async () => {
    const { entry, built } = sources("export const one: number = 1;\n");
    expect(await Promise.all([buildBundle(entry, built), buildBundle(entry, built)])).toEqual([true, true]);
    expect(((await import(pathToFileURL(built).href)) as { one: number }).one).toBe(1);
  });
});
