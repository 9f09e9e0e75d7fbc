import { afterAll, describe, expect, it } from "vitest";
import type { Vitest } from "vitest/node";
import { loadChapters } from "../manifest/load.ts";
import { LEARNER } from "../run/targets.ts";
import { openUi } from "../run/ui.ts";
import { fixture } from "./cli-helper.ts";

let vitest: Vitest | undefined;
afterAll(async () => {
  await vitest?.close();
});

/** each test of the opened specs: its file's kata, its name, its state and the note of a skip */
function states(v: Vitest): { kata: string; name: string; state: string; note?: string }[] {
  return v.state.getFiles().flatMap((file) =>
    file.tasks.map((task) => ({
      kata: (file.name.split("/").pop() ?? "").replace(".spec.ts", ""),
      name: task.name,
      state: task.result?.state ?? "none",
      // a skip's note: set by the runner, not in TaskResult's type
      ...((task.result as { note?: string } | undefined)?.note
        ? { note: (task.result as { note?: string }).note }
        : {}),
    })),
  );
}

describe("npm run grade -- --ui", () => {
  it("opens only the selected katas, and shows a kata still at its stub as todo, not failed", async () => {
    const root = fixture("project");
    const katas = (await loadChapters(root)).flatMap((c) => c.katas).filter((k) => ["stack", "adder"].includes(k.id));
    const opened = await openUi({ root, jobs: katas.map((kata) => ({ kata, target: LEARNER })), seed: 1, port: 0 });
    vitest = opened.vitest;
    expect(opened.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__vitest__\/$/);
    const tests = states(opened.vitest);
    expect([...new Set(tests.map((t) => t.kata))].sort(), "the specs opened: the selected katas' only").toEqual([
      "adder",
      "stack",
    ]);
    const stack = tests.filter((t) => t.kata === "stack");
    expect(stack.length).toBeGreaterThan(0);
    for (const t of stack) {
      expect(t.state, `stack (the stub): "${t.name}"`).toBe("skip");
      expect(t.note, `stack (the stub): "${t.name}"'s note`).toMatch(/^todo: /);
    }
    for (const t of tests.filter((t) => t.kata === "adder")) expect(t.state, `adder: "${t.name}"`).toBe("pass");
  }, 60_000);
});
