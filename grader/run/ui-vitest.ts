// Vitest as the specs see it in `npm run grade -- --ui`: the same module, with `it` and `test`
// wrapped so a kata's stub that throws todo() ends its test as skipped ("todo: ...") instead of
// failed. The UI then shows an untouched kata as work to do, not as a wall of red; the grade's own
// runs read todo() from the error and need none of this.
import * as vitest from "vitest";
import { isNotImplemented } from "../kit/todo.ts";

export * from "vitest";

type Body = (context: vitest.TestContext, ...rest: unknown[]) => unknown;

/** the stub's own message ("todo: not implemented yet (Stack.push)"), said as a todo */
const todoNote = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith("todo:") ? message : `todo: ${message}`;
};

/** the test body, with a stub's todo() turned into a skip */
function bodyOf(body: Body): Body {
  return function (this: unknown, context, ...rest) {
    const skipIfTodo = (error: unknown) => {
      if (isNotImplemented(error) && typeof context?.skip === "function") context.skip(todoNote(error));
      throw error;
    };
    try {
      const result = body.call(this, context, ...rest);
      return result instanceof Promise ? result.catch(skipIfTodo) : result;
    } catch (error) {
      return skipIfTodo(error);
    }
  };
}

/** `it` (or one of its modifiers: only, concurrent, sequential, fails) with its bodies wrapped */
function wrap<T extends object>(api: T): T {
  return new Proxy(api, {
    apply(target, self, args: unknown[]) {
      const [name, body, ...rest] = args;
      const wrapped = typeof body === "function" ? bodyOf(body as Body) : body;
      return Reflect.apply(target as (...a: unknown[]) => unknown, self, [name, wrapped, ...rest]);
    },
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      // each/for pass table rows, not a context, and skip/todo never run: left as they are
      const modifier = ["only", "concurrent", "sequential", "fails"].includes(String(property));
      return modifier && typeof value === "function" ? wrap(value) : value;
    },
  });
}

export const it = wrap(vitest.it);
export const test = wrap(vitest.test);
