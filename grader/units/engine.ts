import { createRequire } from "node:module";
import type { ConstantNode, FunctionNode, MathJsInstance, MathNode, OperatorNode, RangeNode, Unit } from "mathjs";

/**
 * The units engine for worksheets and estimate blocks: mathjs with the units
 * an interview uses.
 *
 * - Counts are dimensionless: `50M users * 20 req/day to req/s` is 11.6k req/s.
 *   The nouns are labels for the reader; users and requests cancel like numbers.
 * - Bytes and bits with SI and IEC prefixes: kB = KB = 1000 B, KiB = 1024 B;
 *   Mbit, Gbit, Mbps, Gbps are bits per second as written.
 * - Interview calendar: a month is 30 days and a year 365 days (mathjs's own are
 *   Julian, 30.4375 and 365.25 days).
 * - Money in USD, written `$5` or `5 USD`; percentages as `20%`.
 * - Numbers with suffixes glued on: 50M, 1.2k, 3B (billion), 2T. Write bytes with
 *   a space: `3 B`.
 */
export type Value = number | Unit;

const COUNTS = [
  ["req", "reqs", "request", "requests"],
  ["query", "queries"],
  ["msg", "msgs", "message", "messages"],
  ["user", "users"],
  ["item", "items"],
  ["object", "objects"],
  ["file", "files"],
  ["photo", "photos"],
  ["video", "videos"],
  ["post", "posts"],
  ["tweet", "tweets"],
  ["song", "songs"],
  ["stream", "streams"],
  ["view", "views"],
  ["click", "clicks"],
  ["event", "events"],
  ["op", "ops", "operation", "operations"],
  ["write", "writes"],
  ["read", "reads"],
  ["txn", "txns", "transaction", "transactions"],
  ["order", "orders"],
  ["key", "keys"],
  ["row", "rows"],
  ["record", "records"],
  ["entry", "entries"],
  ["node", "nodes"],
  ["server", "servers"],
  ["machine", "machines"],
  ["shard", "shards"],
  ["partition", "partitions"],
  ["replica", "replicas"],
  ["conn", "conns", "connection", "connections"],
  ["token", "tokens"],
  ["page", "pages"],
  ["url", "urls"],
  ["job", "jobs"],
  ["task", "tasks"],
  ["worker", "workers"],
  ["core", "cores"],
  ["thread", "threads"],
  ["host", "hosts"],
  ["hit", "hits"],
  ["miss", "misses"],
  ["person", "people"],
  ["device", "devices"],
  ["chunk", "chunks"],
  ["block", "blocks"],
  ["segment", "segments"],
  ["ride", "rides"],
  ["trip", "trips"],
  ["driver", "drivers"],
  ["booking", "bookings"],
  ["payment", "payments"],
  ["notification", "notifications"],
] as const;

function build(): MathJsInstance {
  // mathjs's single-file build: the same library, with every function, loaded in ~50 ms where its
  // ESM tree of a thousand modules takes ~1 s under tsx, on every npm run grade. It is a default
  // instance of its own (no other code loads this file), so the units below go into it directly.
  const math = createRequire(import.meta.url)("mathjs/lib/browser/math.js") as MathJsInstance;
  math.config({ number: "number", precision: 64 });
  const define = (name: string, definition: string | undefined, aliases: readonly string[] = [], override = false) =>
    math.createUnit(
      name,
      definition === undefined ? { aliases: [...aliases] } : { definition, aliases: [...aliases] },
      {
        override,
      },
    );

  for (const [name, ...aliases] of COUNTS) define(name, "1", aliases);

  // bytes: KB as interviews write it; bits written out
  define("KB", "1000 B");
  define("Kb", "1000 b");
  const bits: Array<[string, number]> = [
    ["kbit", 1e3],
    ["Mbit", 1e6],
    ["Gbit", 1e9],
    ["Tbit", 1e12],
    ["Pbit", 1e15],
  ];
  for (const [name, factor] of bits) {
    define(name, `${factor} b`);
    define(`${name[0]}bps`, `${factor} b / s`, name[0] === "k" ? ["Kbps"] : []);
  }
  define("bps", "1 b / s");

  // the interview calendar
  define("d", "1 day");
  define("wk", "1 week", ["wks"]);
  define("month", "30 day", ["months", "mo"], true);
  define("year", "365 day", ["years", "yr", "yrs"], true);

  // money: its own dimension
  define("USD", undefined, ["usd", "dollar", "dollars"]);
  define("cent", "0.01 USD", ["cents"]);

  // counts cancel to plain numbers: let `103680 to req` name the count again
  math.import(
    {
      to: math.typed("to", {
        "number, Unit": (count: number, target: Unit) => {
          if (!target.equalBase(math.unit("1 user"))) {
            throw new Error(`a plain number cannot be converted to ${target.formatUnits()}`);
          }
          return math.unit(count, target.formatUnits());
        },
      }),
    },
    {},
  );

  // an answer is data: nothing in it may add units or functions to the shared engine
  const refuse = (name: string) => () => {
    throw new Error(`${name} is not available in an answer`);
  };
  math.import({ import: refuse("import"), createUnit: refuse("createUnit") }, { override: true });
  return math;
}

const math = build();

/** an answer or expression the engine could not read */
export class UnitsError extends Error {
  override readonly name = "UnitsError";
}

const SUFFIX: Record<string, string> = { k: "e3", K: "e3", M: "e6", B: "e9", T: "e12" };

/** interview notation to mathjs: 50M → 50e6, $5 → 5 USD, 86,400 → 86400, × → * */
export function normalize(text: string): string {
  return (
    text
      .replace(/[×·]/g, "*")
      .replace(/÷/g, "/")
      .replace(/−/g, "-")
      .replace(/µ/g, "u")
      // min and sec are functions (minimum, secant) before they are units
      .replace(/\bmin\b(?!\s*\()/g, "minute")
      .replace(/\bsec\b(?!\s*\()/g, "second")
      .replace(/\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b/g, (n) => n.replace(/,/g, ""))
      .replace(
        /\$\s*(\d+(?:\.\d+)?)([kKMBT](?![\w]))?/g,
        (_, n: string, s?: string) => `(${n}${s ? SUFFIX[s] : ""} USD)`,
      )
      .replace(/(?<![\w.])(\d+(?:\.\d+)?)([kKMBT])(?![\w])/g, (_, n: string, s: string) => `${n}${SUFFIX[s]}`)
  );
}

export function isUnit(value: unknown): value is Unit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Unit";
}

/**
 * What an estimate may be made of: numbers, units, names, arithmetic, short
 * lists and ranges, and the functions an estimate needs. mathjs can do far more
 * (`zeros(20000, 20000)` takes minutes and gigabytes); with no function that
 * makes a large matrix and ranges of at most MAX_RANGE values, an answer's cost
 * is bounded by its length.
 */
const ALLOWED_FUNCTIONS = new Set([
  "abs",
  "cbrt",
  "ceil",
  "cumsum",
  "exp",
  "factorial",
  "fix",
  "floor",
  "log",
  "log10",
  "log2",
  "max",
  "mean",
  "median",
  "min",
  "nthRoot",
  "pow",
  "prod",
  "round",
  "sign",
  "sort",
  "sqrt",
  "std",
  "sum",
  "variance",
]);
const ALLOWED_NODES = new Set([
  "ConstantNode",
  "SymbolNode",
  "OperatorNode",
  "ParenthesisNode",
  "FunctionNode",
  // short lists: [70 ms, 80 ms], 0:39, a list's k-th element
  "ArrayNode",
  "RangeNode",
  "IndexNode",
  "AccessorNode",
  "ConditionalNode",
]);
/** values a range may hold: a Poisson tail sums a few dozen terms; a matrix of millions is no estimate */
const MAX_RANGE = 1_000;
/** longer than any estimate needs, short enough that parsing and evaluating it is instant */
export const MAX_EXPRESSION_LENGTH = 2_000;

/** the number a node writes out: 39, or -1 */
function literal(node: MathNode): number | undefined {
  if (node.type === "ConstantNode" && typeof (node as ConstantNode).value === "number")
    return (node as ConstantNode).value as number;
  if (node.type === "OperatorNode" && (node as OperatorNode).fn === "unaryMinus") {
    const inner = (node as OperatorNode).args[0];
    const value = inner ? literal(inner) : undefined;
    return value === undefined ? undefined : -value;
  }
  return undefined;
}

function refusal(node: MathNode): string | undefined {
  if (!ALLOWED_NODES.has(node.type)) {
    const what: Record<string, string> = {
      ArrayNode: "a matrix ([...])",
      RangeNode: "a range (a:b)",
      AssignmentNode: "an assignment inside an expression (write name = expression on a line of its own)",
      FunctionAssignmentNode: "a function definition",
      ObjectNode: "an object",
      IndexNode: "an index",
      AccessorNode: "a property access",
      BlockNode: "several expressions on one line",
      ConditionalNode: "a condition",
    };
    return `${what[node.type] ?? node.type} is not part of an estimate: use numbers, units, names and arithmetic`;
  }
  if (node.type === "RangeNode") {
    // a range is the one way an expression makes many values from few characters: keep it short
    const range = node as RangeNode;
    const bounds = [range.start, range.end, range.step ?? new math.ConstantNode(1)].map(literal);
    const [start, end, step] = bounds;
    if (start === undefined || end === undefined || step === undefined)
      return "a range's bounds are written as numbers, such as 0:39";
    const count = step === 0 ? Number.POSITIVE_INFINITY : Math.floor((end - start) / step) + 1;
    if (count > MAX_RANGE) return `a range of ${count} values is longer than an estimate needs (${MAX_RANGE} at most)`;
  }
  if (node.type === "FunctionNode") {
    const name = (node as FunctionNode).fn.name;
    if (!ALLOWED_FUNCTIONS.has(name))
      return `${name}() is not available in an estimate; these are: ${[...ALLOWED_FUNCTIONS].join(", ")}`;
  }
  return undefined;
}

/**
 * Evaluates one expression against a scope of named values. Throws UnitsError
 * for text it cannot read or that is more than arithmetic, and for results
 * that are not a finite quantity.
 */
export function evaluate(expression: string, scope: Record<string, Value> = {}): Value {
  const text = normalize(expression.trim());
  if (!text) throw new UnitsError("nothing to evaluate");
  if (text.length > MAX_EXPRESSION_LENGTH)
    throw new UnitsError(`that is ${text.length} characters long; an estimate fits in ${MAX_EXPRESSION_LENGTH}`);
  let result: unknown;
  try {
    const tree = math.parse(text);
    let problem: string | undefined;
    tree.traverse((node) => {
      problem ??= refusal(node);
    });
    if (problem) throw new UnitsError(problem);
    result = tree.compile().evaluate({ ...scope });
  } catch (error) {
    if (error instanceof UnitsError) throw error;
    throw new UnitsError(error instanceof Error ? error.message : String(error));
  }
  if (typeof result === "number" || isUnit(result)) return result;
  throw new UnitsError(
    `that is not a quantity (it evaluates to ${typeof result === "object" ? "a matrix or object" : typeof result})`,
  );
}

/** the number a value holds, in SI base units */
export function magnitude(value: Value): number {
  return isUnit(value) ? (value.value ?? Number.NaN) : value;
}

export function isDimensionless(value: Value): boolean {
  return !isUnit(value) || value.dimensions.every((d) => d === 0);
}

/** a value as a number in the given unit; NaN when the dimensions differ */
export function valueIn(value: Value, unitText: string): number {
  const target = unitText ? evaluate(`1 ${unitText}`) : 1;
  if (isDimensionless(target)) return isDimensionless(value) ? magnitude(value) / magnitude(target) : Number.NaN;
  return isUnit(value) && isUnit(target) && value.equalBase(target) ? value.toNumber(unitText) : Number.NaN;
}

/** a name the engine reads as a unit: a variable with that name would change what `1 day` means */
export function isUnitName(name: string): boolean {
  return math.Unit.isValuelessUnit(name);
}

export function unit(text: string): Unit {
  const value = evaluate(`1 ${text}`);
  if (!isUnit(value)) throw new UnitsError(`"${text}" is not a unit`);
  return value;
}

export { math };
