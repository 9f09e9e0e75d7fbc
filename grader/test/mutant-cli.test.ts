import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, copyOf } from "./cli-helper.ts";

const project = copyOf("project", "mutant-cli");
afterAll(() => rmSync(project, { recursive: true, force: true }));
const read = (file: string) => readFileSync(path.join(project, file), "utf8");
const edit = ".grade/mutant-edits/01-fixture/stack.drops-first.ts";

describe("npm run mutant", () => {
  it("opens a new mutant as a copy of the reference under a header to fill in, and saves the mistake as a patch", async () => {
    const opened = await cli("mutant", ["open", "stack", "drops-first"], project);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(`Edit ${edit}`);
    const copy = read(edit);
    expect(copy).toMatch(/^\/\*\*\n \* Mutant of solutions\/01-fixture\/stack\.ts: drops-first\.\n/);
    expect(copy.endsWith(read("solutions/01-fixture/stack.ts"))).toBe(true);

    writeFileSync(
      path.join(project, edit),
      copy
        .replace("@caughtBy <the test that must fail>", "@caughtBy pops the last item pushed")
        .replace("return this.#items.pop();", "return this.#items.shift();"),
    );
    // the chapter's first mutant: its folder is not there yet
    const folder = path.join(project, "grader/mutants/01-fixture");
    renameSync(folder, `${folder}.kept`);
    const saved = await cli("mutant", ["save", "stack", "drops-first"], project).finally(() => {
      const made = path.join(folder, "stack.drops-first.patch");
      if (existsSync(made)) renameSync(made, path.join(`${folder}.kept`, "stack.drops-first.patch"));
      rmSync(folder, { recursive: true, force: true });
      renameSync(`${folder}.kept`, folder);
    });
    expect(saved.code, saved.stderr).toBe(0);
    const patch = read("grader/mutants/01-fixture/stack.drops-first.patch");
    expect(patch).toMatch(/^Mutant of solutions\/01-fixture\/stack\.ts: drops-first\.\n/);
    expect(patch).toContain("@caughtBy pops the last item pushed\n\n--- solutions/01-fixture/stack.ts");
    expect(patch).toContain("-    return this.#items.pop();\n+    return this.#items.shift();");
  });

  it("opens an existing mutant with its mistake made, and refuses to save one that changes nothing", async () => {
    const opened = await cli("mutant", ["open", "stack", "queue-order"], project);
    expect(opened.code).toBe(0);
    const copy = read(".grade/mutant-edits/01-fixture/stack.queue-order.ts");
    expect(copy).toContain(" * @caughtBy pops the last item pushed\n */\n");
    expect(copy).toContain("return this.#items.shift();");

    writeFileSync(
      path.join(project, ".grade/mutant-edits/01-fixture/stack.queue-order.ts"),
      copy.replace("return this.#items.shift();", "return this.#items.pop();"),
    );
    const saved = await cli("mutant", ["save", "stack", "queue-order"], project);
    expect(saved.code).toBe(2);
    expect(saved.stderr).toContain("is its reference: make the mistake first");
  });

  it("names what it cannot do", async () => {
    expect((await cli("mutant", ["open", "nonesuch", "x"], project)).stderr).toContain('"nonesuch"');
    expect((await cli("mutant", ["open", "stack", "Bad_Name"], project)).stderr).toContain("is not a mistake's name");
    expect((await cli("mutant", ["save", "stack", "never-opened"], project)).stderr).toContain(
      "no .grade/mutant-edits/",
    );
  });
});
