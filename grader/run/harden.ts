// Imported first by worker-setup.ts, in each Vitest worker, after Vitest has loaded and before
// any spec or kata module does. It freezes the JavaScript intrinsics with SES's lockdown
// (github.com/endojs/endo/tree/master/packages/ses, Agoric 2019-): Map.prototype.get,
// Array.prototype.push, Promise.prototype.then, JSON, Math, Date, ... can no longer be replaced,
// so a kata cannot slow the reference down, make a test's assertion lie, or change what the load
// harness measures by patching what every module shares.
import "ses";
import { inject } from "vitest";

declare function lockdown(options: Record<string, string>): void;

// setup files run again for every spec file of a worker; the intrinsics are frozen once
if (!Object.isFrozen(Array.prototype)) {
  // mathjs's decimal.js gives its prototype a constructor by assignment when it loads, which a
  // frozen Object.prototype refuses (the "override mistake"); loaded first, it is done by then.
  // Worksheets and the specs that import the units engine use it; it costs a worker about 0.1 s,
  // so the runner says when a run needs it (run-specs.ts).
  if (inject("unitsEngine")) await import("../units/engine.ts");
  lockdown({
    // keep V8's own stacks (Vitest maps them through source maps) and the error taming off
    errorTaming: "unsafe-debug",
    stackFiltering: "verbose",
    // a property an object inherits from a frozen prototype (an error's name, a toString) can
    // still be given on the object itself, as ordinary code does
    overrideTaming: "moderate",
    // Vitest owns the console and the process's error handlers
    consoleTaming: "unsafe",
    errorTrapping: "none",
    unhandledRejectionTrapping: "none",
    localeTaming: "unsafe",
    domainTaming: "unsafe",
    // eval and new Function are off anyway: workers start with --disallow-code-generation-from-strings
    evalTaming: "no-eval",
  });
}
