/**
 * A linearizability checker in the style of Wing & Gong with Lowe's memoization
 * (as in porcupine): search for an order of the operations that respects real
 * time and that a sequential model accepts. The search is bounded; past the
 * bound the verdict is "unknown", never a pass.
 */

export interface Operation<I, O> {
  client: string;
  input: I;
  /** what the client was told; undefined when it never heard back */
  output?: O;
  /** when the client sent it and when it heard back (undefined: never) */
  call: number;
  ret?: number;
}

export interface Model<S, I, O> {
  init(): S;
  /** the state after `input`, if a sequential object could have answered `output` (undefined: any answer) */
  step(state: S, input: I, output: O | undefined): { ok: boolean; state: S };
  /** equal keys mean equal states */
  key(state: S): string;
  describe(input: I, output: O | undefined): string;
}

export type Verdict =
  | { result: "linearizable"; steps: number }
  | { result: "violation"; steps: number; explanation: string }
  | { result: "unknown"; steps: number; explanation: string };

interface Entry {
  op: number;
  time: number;
  isCall: boolean;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

export const DEFAULT_MAX_STEPS = 2_000_000;

function buildList(times: ReadonlyArray<{ call: number; ret: number }>): Entry {
  const entries: Entry[] = [];
  times.forEach(({ call, ret }, op) => {
    const callEntry: Entry = { op, time: call, isCall: true, match: undefined, prev: undefined, next: undefined };
    const retEntry: Entry = { op, time: ret, isCall: false, match: undefined, prev: undefined, next: undefined };
    callEntry.match = retEntry;
    entries.push(callEntry, retEntry);
  });
  // at equal times calls come first: operations that touch count as concurrent, which never invents a violation
  entries.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.op - b.op);
  const head: Entry = { op: -1, time: -1, isCall: false, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  return head;
}

function lift(call: Entry): void {
  const ret = call.match as Entry;
  (call.prev as Entry).next = call.next;
  if (call.next) call.next.prev = call.prev;
  (ret.prev as Entry).next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match as Entry;
  (ret.prev as Entry).next = ret;
  if (ret.next) ret.next.prev = ret;
  (call.prev as Entry).next = call;
  if (call.next) call.next.prev = call;
}

const ms = (t: number) => (Number.isFinite(t) ? `${t.toFixed(1)}` : "never");

export function describeOperation<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  return `${op.client}: ${model.describe(op.input, op.output)} [${ms(op.call)}, ${ms(op.ret ?? Number.POSITIVE_INFINITY)}] ms`;
}

export function checkLinearizable<S, I, O>(
  ops: ReadonlyArray<Operation<I, O>>,
  model: Model<S, I, O>,
  maxSteps = DEFAULT_MAX_STEPS,
): Verdict {
  const head = buildList(ops.map((op) => ({ call: op.call, ret: op.ret ?? Number.POSITIVE_INFINITY })));
  const stack: Array<{ entry: Entry; state: S }> = [];
  const seen = new Set<string>();
  let state = model.init();
  let linearized = 0n;
  let steps = 0;
  let deepest: { depth: number; stuck: number; order: number[] } = { depth: -1, stuck: -1, order: [] };
  let entry = head.next;
  while (head.next) {
    if (++steps > maxSteps) {
      return {
        result: "unknown",
        steps,
        explanation: `gave up after ${maxSteps.toLocaleString("en-US")} steps over ${ops.length} operations: not proven linearizable`,
      };
    }
    if (!entry) break;
    if (entry.isCall) {
      const op = ops[entry.op] as Operation<I, O>;
      const next = model.step(state, op.input, op.output);
      if (next.ok) {
        const bits = linearized | (1n << BigInt(entry.op));
        const key = `${bits.toString(36)}|${model.key(next.state)}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ entry, state });
          state = next.state;
          linearized = bits;
          lift(entry);
          entry = head.next;
          continue;
        }
      }
      entry = entry.next;
      continue;
    }
    // a return: its operation has to take effect before anything later, so the order so far cannot work
    if (!Number.isFinite(entry.time)) break; // only operations that never returned are left: they may never have happened
    if (stack.length > deepest.depth) {
      deepest = { depth: stack.length, stuck: entry.op, order: stack.map((s) => s.entry.op) };
    }
    const top = stack.pop();
    if (!top) {
      const order = deepest.order.map((i) => `  ${describeOperation(model, ops[i] as Operation<I, O>)}`);
      return {
        result: "violation",
        steps,
        explanation: [
          `no order of the ${ops.length} operations that respects real time explains what the clients saw.`,
          order.length > 0 ? "The longest order that works:" : "",
          ...order.slice(-12),
          `and then nothing explains ${describeOperation(model, ops[deepest.stuck] as Operation<I, O>)}`,
        ]
          .filter(Boolean)
          .join("\n"),
      };
    }
    state = top.state;
    linearized &= ~(1n << BigInt(top.entry.op));
    unlift(top.entry);
    entry = top.entry.next;
  }
  return { result: "linearizable", steps };
}

// ---- a key-value store of registers ---------------------------------------------------------

export type KvInput = { kind: "put"; key: string; value: string } | { kind: "get"; key: string };
/** a get's answer: the value, or null when the key was never written */
export type KvOutput = string | null | "ok";

const registerModel: Model<string | null, KvInput, KvOutput> = {
  init: () => null,
  step(state, input, output) {
    if (input.kind === "put") return { ok: true, state: input.value };
    return { ok: output === undefined || output === state, state };
  },
  key: (state) => (state === null ? "\u0000" : state),
  describe(input, output) {
    if (input.kind === "put") return `put ${input.key}=${input.value}${output === undefined ? " (no answer)" : ""}`;
    return `get ${input.key} -> ${output === undefined ? "(no answer)" : JSON.stringify(output)}`;
  },
};

/**
 * A history of puts and gets on a key-value store. Linearizability is local
 * (Herlihy & Wing), so each key is checked on its own: smaller searches.
 */
export function checkKv(ops: ReadonlyArray<Operation<KvInput, KvOutput>>, maxSteps = DEFAULT_MAX_STEPS): Verdict {
  const byKey = new Map<string, Array<Operation<KvInput, KvOutput>>>();
  for (const op of ops) {
    const list = byKey.get(op.input.key) ?? [];
    list.push(op);
    byKey.set(op.input.key, list);
  }
  let steps = 0;
  for (const [key, list] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const verdict = checkLinearizable(list, registerModel, maxSteps);
    steps += verdict.steps;
    if (verdict.result !== "linearizable") {
      return { ...verdict, steps, explanation: `key ${JSON.stringify(key)}: ${verdict.explanation}` };
    }
  }
  return { result: "linearizable", steps };
}
