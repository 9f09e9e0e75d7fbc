import { formatWithOptions } from "node:util";

/**
 * A test's console output, capped. Vitest buffers what a test prints and sends
 * it to the runner; a kata that prints 200 MB, or a line per call in a load
 * test, would spend its time limit printing and the runner's memory holding it.
 * Each call is cut to MAX_CALL_CHARS, and after MAX_TEST_CHARS in one test the
 * rest is counted, not printed: the report shows the start, and how much more there was.
 */
const MAX_CALL_CHARS = 2_000;
const MAX_TEST_CHARS = 20_000;
const METHODS = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const;

const LIMITED = Symbol.for("system-design-katas.console-limited");
let printed = 0;
let dropped = { calls: 0, chars: 0 };

const format = (args: unknown[]) =>
  formatWithOptions({ depth: 4, maxArrayLength: 50, maxStringLength: MAX_CALL_CHARS, breakLength: 120 }, ...args);

/** wraps the console Vitest gave this worker; once per console object */
export function limitConsole(): void {
  const target = globalThis.console as Console & { [LIMITED]?: true };
  if (target[LIMITED]) return;
  for (const method of METHODS) {
    const original = target[method].bind(target) as (...args: unknown[]) => void;
    target[method] = (...args: unknown[]) => {
      if (printed >= MAX_TEST_CHARS) {
        dropped.calls++;
        dropped.chars += args.reduce<number>((n, a) => n + (typeof a === "string" ? a.length : 1), 0);
        return;
      }
      // a long string is cut before it is formatted: formatting scans every character of it
      let cut = 0;
      const short = args.map((arg) => {
        if (typeof arg !== "string" || arg.length <= MAX_CALL_CHARS) return arg;
        cut += arg.length - MAX_CALL_CHARS;
        return arg.slice(0, MAX_CALL_CHARS);
      });
      let text = format(short);
      if (text.length > MAX_CALL_CHARS) {
        cut += text.length - MAX_CALL_CHARS;
        text = text.slice(0, MAX_CALL_CHARS);
      }
      if (cut > 0) text += `… (${cut.toLocaleString("en-US")} more characters not shown)`;
      printed += text.length;
      original(text);
    };
  }
  Object.defineProperty(target, LIMITED, { value: true });
}

/** after each test: say what was not printed, and start the next test's allowance */
export function reportDroppedOutput(): void {
  printed = 0;
  if (dropped.calls > 0) {
    const { calls, chars } = dropped;
    dropped = { calls: 0, chars: 0 };
    globalThis.console.log(
      `… and ${calls.toLocaleString("en-US")} more console calls (about ${chars.toLocaleString("en-US")} characters) not shown: the console keeps ${MAX_TEST_CHARS.toLocaleString("en-US")} characters a test`,
    );
  }
}
