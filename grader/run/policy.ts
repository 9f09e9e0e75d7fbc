import { originalPositionFor, type SourceMapInput, TraceMap } from "@jridgewell/trace-mapping";
import { analyze } from "eslint-scope";
import type * as ESTree from "estree";
import { parseAst } from "vite";

/**
 * What learner code may use, checked on each learner module before it runs
 * (in the Vite transform, in the runner process, which runs no learner code).
 * A kata is a module of its own: it imports only #kit, files of its own
 * chapter and a few pure node: modules, and it uses only its own declarations
 * and JavaScript's standard globals. The grader's and Vitest's state lives on
 * the global object and in `process`; a module that cannot name either cannot
 * reach it. What is not on these lists is refused, with the line.
 */

/** node: modules with no file system, process, network or code loading in them */
export const ALLOWED_NODE_MODULES: ReadonlySet<string> = new Set([
  "assert",
  "assert/strict",
  "buffer",
  "crypto",
  "events",
  "querystring",
  "string_decoder",
  "url",
  "util",
]);

/** ECMAScript's global names and the harmless ones Node and browsers share */
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
  // values and functions
  "Infinity",
  "NaN",
  "undefined",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
  "decodeURI",
  "decodeURIComponent",
  "encodeURI",
  "encodeURIComponent",
  "escape",
  "unescape",
  // constructors and namespaces
  "AggregateError",
  "Array",
  "ArrayBuffer",
  "Atomics",
  "BigInt",
  "BigInt64Array",
  "BigUint64Array",
  "Boolean",
  "DataView",
  "Date",
  "Error",
  "EvalError",
  "FinalizationRegistry",
  "Float32Array",
  "Float64Array",
  "Function",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Intl",
  "Iterator",
  "JSON",
  "Map",
  "Math",
  "Number",
  "Object",
  "Promise",
  "Proxy",
  "RangeError",
  "ReferenceError",
  "Reflect",
  "RegExp",
  "Set",
  "SharedArrayBuffer",
  "String",
  "Symbol",
  "SyntaxError",
  "TypeError",
  "Uint8Array",
  "Uint8ClampedArray",
  "Uint16Array",
  "Uint32Array",
  "URIError",
  "WeakMap",
  "WeakRef",
  "WeakSet",
  // shared by Node and browsers
  "AbortController",
  "AbortSignal",
  "Blob",
  "Buffer",
  "DOMException",
  "Event",
  "EventTarget",
  "TextDecoder",
  "TextEncoder",
  "URL",
  "URLSearchParams",
  "atob",
  "btoa",
  "clearImmediate",
  "clearInterval",
  "clearTimeout",
  "console",
  "crypto",
  "performance",
  "queueMicrotask",
  "setImmediate",
  "setInterval",
  "setTimeout",
  "structuredClone",
]);

/** why a name a learner might reach for is not there */
const REFUSED_GLOBALS: Record<string, string> = {
  process: "the process belongs to the grader: a kata gets time from its Clock and randomness from a seed",
  globalThis: "the global object is shared with the grader and the reference",
  global: "the global object is shared with the grader and the reference",
  self: "the global object is shared with the grader and the reference",
  window: "the global object is shared with the grader and the reference",
  require: "a kata is an ES module: import from #kit or from a file of its own chapter",
  module: "a kata is an ES module: export what it offers",
  exports: "a kata is an ES module: export what it offers",
  __filename: "a kata does not read files",
  __dirname: "a kata does not read files",
  eval: "the grader does not compile code from strings",
  fetch: "a kata does not use the network",
  XMLHttpRequest: "a kata does not use the network",
  WebSocket: "a kata does not use the network",
  gc: "the grader collects garbage between measurements itself",
};

export interface Violation {
  /** 1-based line and 1-based column in the learner's own file */
  line: number;
  column: number;
  message: string;
}

type Node = ESTree.Node & { start: number; end: number };

/** what is wrong with an import, as its specifier is written; undefined when it may stand */
export type ImportCheck = (source: string) => string | undefined;

/** where an import may lead: #kit, a relative file (checked when resolved) or an allowed node: module */
export function importProblem(source: string): string | undefined {
  if (source === "#kit" || source.startsWith("./") || source.startsWith("../")) return undefined;
  const builtin = source.startsWith("node:") ? source.slice("node:".length) : source;
  if (ALLOWED_NODE_MODULES.has(builtin)) return undefined;
  const allowed = [...ALLOWED_NODE_MODULES].map((name) => `node:${name}`).join(", ");
  return `imports "${source}" (a kata imports only #kit, files of its own chapter such as ./name.ts, and ${allowed})`;
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (typeof node !== "object" || node === null || typeof (node as { type?: unknown }).type !== "string") return;
  visit(node as Node);
  for (const [key, value] of Object.entries(node)) {
    if (key !== "type" && typeof value === "object") walk(value, visit);
  }
}

function exportedName(node: ESTree.Identifier | ESTree.Literal): string {
  return node.type === "Identifier" ? node.name : String(node.value);
}

/** the top-level declaration of a name, where the learner wrote it */
function declarationOf(program: ESTree.Program, name: string): Node | undefined {
  for (const statement of program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations)
        if (declarator.id.type === "Identifier" && declarator.id.name === name) return declarator as Node;
    } else if (
      (declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") &&
      declaration.id?.name === name
    ) {
      return declaration as Node;
    }
  }
  return undefined;
}

/** the names a module exports, with where each is declared */
function exportsOf(program: ESTree.Program): Array<{ name: string; at: Node }> {
  const names: Array<{ name: string; at: Node }> = [];
  for (const statement of program.body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    for (const specifier of statement.specifiers) {
      // a compiler may move `export function then` into an export list: point at the function
      const local = specifier.local.type === "Identifier" ? declarationOf(program, specifier.local.name) : undefined;
      names.push({ name: exportedName(specifier.exported), at: local ?? (specifier as Node) });
    }
    const declaration = statement.declaration;
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations)
        if (declarator.id.type === "Identifier") names.push({ name: declarator.id.name, at: declarator as Node });
    } else if (declaration.id) {
      names.push({ name: declaration.id.name, at: declaration as Node });
    }
  }
  return names;
}

/** the problems in one learner module, at offsets in `code` */
function problems(code: string, checkImport: ImportCheck): Array<{ at: number; message: string }> {
  const program = parseAst(code) as unknown as ESTree.Program;
  const found: Array<{ at: number; message: string }> = [];
  const add = (node: Node, message: string) => found.push({ at: node.start, message });

  walk(program, (node) => {
    // eslint-scope reads positions as espree gives them
    (node as Node & { range?: [number, number] }).range ??= [node.start, node.end];
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "ExportNamedDeclaration": {
        const source = (node as ESTree.ImportDeclaration).source;
        const problem = source && typeof source.value === "string" ? checkImport(source.value) : undefined;
        if (problem) add(node, problem);
        break;
      }
      case "ImportExpression":
        add(node, "loads a module at run time with import() (a kata's imports are written at its top)");
        break;
      case "MetaProperty":
        add(node, "uses import.meta (a kata does not need to know where its file is)");
        break;
    }
  });

  for (const { name, at } of exportsOf(program)) {
    if (name === "then")
      add(at, "exports then (a module that exports then looks like a promise: every import of it would wait forever)");
  }

  const scopes = analyze(program, { ecmaVersion: 2024, sourceType: "module", fallback: "iteration" });
  for (const reference of scopes.globalScope?.through ?? []) {
    const { name } = reference.identifier;
    const node = reference.identifier as unknown as Node;
    if (reference.isWrite()) {
      add(node, `assigns to the global ${name} (a kata declares its own variables with const or let)`);
    } else if (!STANDARD_GLOBALS.has(name)) {
      const why = REFUSED_GLOBALS[name];
      add(
        node,
        `uses ${name} (${why ?? "it is not defined here: a kata uses its own declarations, its imports and JavaScript's standard globals"})`,
      );
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

/** 1-based line and column of an offset */
function positionOf(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * The policy's verdict on a learner module: `code` is the module as Vite
 * transformed it (TypeScript removed), `map` the source map back to the
 * learner's file, so each problem is reported at the learner's own line.
 */
export function checkLearnerModule(
  code: string,
  map?: SourceMapInput | null,
  checkImport: ImportCheck = importProblem,
): Violation[] {
  const trace = map ? new TraceMap(map) : undefined;
  return problems(code, checkImport).map(({ at, message }) => {
    const generated = positionOf(code, at);
    if (trace) {
      const original = originalPositionFor(trace, { line: generated.line, column: generated.column - 1 });
      if (original.line !== null) return { line: original.line, column: original.column + 1, message };
    }
    return { ...generated, message };
  });
}
