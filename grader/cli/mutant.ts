// npm run mutant -- open|save <kata> <mistake>: write a mutant as code, keep it as a patch.
// `open` puts the reference with the mistake made (or a fresh copy of the reference, for a new
// mutant, or one whose patch no longer applies) in .grade/mutant-edits/, with the header on top;
// `save` turns that file back into grader/mutants/NN-slug/<kata>.<mistake>.patch.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { Kata } from "../manifest/load.ts";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import {
  applyMutant,
  firstLine,
  formatMutantPatch,
  MutantPatchError,
  readMutantPatch,
} from "../matrix/mutant-patch.ts";
import { paint } from "../report/text.ts";
import { projectRoot, select, UnknownSelector } from "./common.ts";

const MISTAKE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Files {
  kata: Kata;
  patch: string;
  edit: string;
  reference: string;
}

async function filesOf(root: string, id: string, mistake: string): Promise<Files> {
  const [kata] = select(await loadChapters(root), [id]).katas;
  if (!kata || kata.id !== id)
    throw new UnknownSelector(`no kata "${id}": a mutant belongs to a kata, such as token-bucket`);
  if (!MISTAKE.test(mistake))
    throw new UnknownSelector(
      `"${mistake}" is not a mistake's name: lowercase words joined by "-", such as floor-refill`,
    );
  return {
    kata,
    patch: `grader/mutants/${kata.chapter}/${kata.id}.${mistake}.patch`,
    edit: `.grade/mutant-edits/${kata.chapter}/${kata.id}.${mistake}.ts`,
    reference: kata.paths.reference,
  };
}

const asComment = (lines: string[]) => `/**\n${lines.map((line) => (line ? ` * ${line}` : " *")).join("\n")}\n */\n`;

function open(root: string, files: Files, mistake: string): void {
  const reference = readFileSync(path.join(root, files.reference), "utf8");
  let header = [
    firstLine(files.reference, mistake),
    "",
    "The bug: ...",
    "Source: ...",
    "@caughtBy <the test that must fail>",
  ];
  let code = reference;
  if (existsSync(path.join(root, files.patch))) {
    header = readMutantPatch(readFileSync(path.join(root, files.patch), "utf8"), files.patch).preamble;
    try {
      code = applyMutant(root, files.patch);
    } catch (error) {
      if (!(error instanceof MutantPatchError)) throw error;
      // the reference moved: the mistake is made again on a fresh copy, with the old diff to go by
      console.log(paint.yellow(`${error.message}\nThe old diff, to make the mistake again by:\n`));
      console.log(readMutantPatch(readFileSync(path.join(root, files.patch), "utf8"), files.patch).diff);
    }
  }
  mkdirSync(path.dirname(path.join(root, files.edit)), { recursive: true });
  writeFileSync(path.join(root, files.edit), asComment(header) + code);
  console.log(`Edit ${files.edit}: the header on top, then ${files.reference} with the one mistake.`);
  console.log(paint.dim(`Then: npm run mutant -- save ${files.kata.id} ${mistake}, and npm run matrix`));
}

function save(root: string, files: Files, mistake: string): void {
  if (!existsSync(path.join(root, files.edit)))
    throw new UnknownSelector(`no ${files.edit}: npm run mutant -- open ${files.kata.id} ${mistake} writes it`);
  const text = readFileSync(path.join(root, files.edit), "utf8");
  const match = /^\/\*\*\n([\s\S]*?)\n \*\/\n/.exec(text);
  if (!match?.[1])
    throw new MutantPatchError(`${files.edit}: it must start with the mutant's header, a /** ... */ comment`);
  const preamble = match[1].split("\n").map((line) => line.replace(/^ \*( |$)/, ""));
  if (preamble[0] !== firstLine(files.reference, mistake))
    throw new MutantPatchError(
      `${files.edit}: the header's first line must be "${firstLine(files.reference, mistake)}"`,
    );
  const reference = readFileSync(path.join(root, files.reference), "utf8");
  const code = text.slice(match[0].length);
  if (code === reference) throw new MutantPatchError(`${files.edit} is its reference: make the mistake first`);
  // a chapter's first mutant makes its folder
  mkdirSync(path.dirname(path.join(root, files.patch)), { recursive: true });
  writeFileSync(path.join(root, files.patch), formatMutantPatch(files.reference, preamble, reference, code));
  if (applyMutant(root, files.patch) !== code)
    throw new MutantPatchError(`${files.patch} does not give back ${files.edit}`);
  console.log(`Wrote ${files.patch}. npm run matrix checks that its spec kills it.`);
}

const program = new Command("mutant")
  .description("write a mutant as code and keep it as a patch of its reference")
  .argument("<action>", "open: a copy to edit in .grade/mutant-edits/; save: that copy back as the patch")
  .argument("<kata>", "the kata's id, such as token-bucket")
  .argument("<mistake>", "the mistake's name, such as floor-refill")
  .action(async (action: string, id: string, mistake: string) => {
    const root = projectRoot();
    try {
      if (action !== "open" && action !== "save") throw new UnknownSelector(`no action "${action}": open or save`);
      const files = await filesOf(root, id, mistake);
      if (action === "open") open(root, files, mistake);
      else save(root, files, mistake);
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector || error instanceof MutantPatchError))
        throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
