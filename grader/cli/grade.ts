// npm run grade: starts the runner a grade will need before loading the rest of the grader, so the
// two load side by side (the runner takes about 0.3 s to be ready), then hands over to the command
import { prestartRunner } from "../run/prestart.ts";
import { projectRoot } from "./common.ts";

prestartRunner(projectRoot(), process.argv.slice(2));
await import("./grade-command.ts");
