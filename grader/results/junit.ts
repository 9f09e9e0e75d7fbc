import type { Results } from "./schema.ts";

const xml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 has no place for most control characters, or for ANSI colors
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** the results as JUnit XML: a testsuite per kata and per worksheet, a testcase per test and per question */
export function toJUnit(results: Results): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const kata of results.katas) {
    const cases = kata.tests.map((test) => {
      const name = `name="${xml(test.fullName)}" classname="${xml(`${kata.chapter}.${kata.id}`)}" time="${seconds(test.durationMs)}"`;
      if (test.status === "pass") return `    <testcase ${name}/>`;
      if (test.status === "skip") return `    <testcase ${name}><skipped/></testcase>`;
      const kind = test.status === "timeout" ? "error" : "failure";
      const text = xml(test.message ?? test.status);
      return `    <testcase ${name}><${kind} message="${xml((test.message ?? test.status).split("\n")[0] ?? "")}">${text}</${kind}></testcase>`;
    });
    // a kata that did not run its tests still shows in the report, as one error
    if (kata.status === "skip") {
      cases.push(
        `    <testcase name="${xml(kata.id)}" classname="${xml(`${kata.chapter}.${kata.id}`)}" time="0"><skipped message="${xml(kata.cause ?? "")}"/></testcase>`,
      );
    } else if (kata.cause && (kata.status === "error" || kata.tests.length === 0)) {
      cases.push(
        `    <testcase name="${xml(kata.id)}" classname="${xml(`${kata.chapter}.${kata.id}`)}" time="0"><error message="${xml(kata.cause.split("\n")[0] ?? "")}">${xml(kata.cause)}</error></testcase>`,
      );
    }
    const caseFailures = cases.filter((c) => c.includes("<failure")).length;
    const caseErrors = cases.filter((c) => c.includes("<error")).length;
    tests += cases.length;
    failures += caseFailures;
    errors += caseErrors;
    suites.push(
      `  <testsuite name="${xml(`${kata.chapter}/${kata.id}`)}" tests="${cases.length}" failures="${caseFailures}" errors="${caseErrors}" skipped="${cases.filter((c) => c.includes("<skipped")).length}" time="${seconds(kata.durationMs)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  for (const sheet of results.worksheets) {
    const cases = sheet.questions.map((q) => {
      const name = `name="${xml(q.id)}" classname="${xml(`${sheet.chapter}.worksheet`)}" time="0"`;
      return q.status === "correct"
        ? `    <testcase ${name}/>`
        : `    <testcase ${name}><failure message="${xml(q.message)}">${xml(q.message)}</failure></testcase>`;
    });
    const caseFailures = sheet.total - sheet.correct;
    tests += cases.length;
    failures += caseFailures;
    suites.push(
      `  <testsuite name="${xml(`${sheet.chapter}/worksheet`)}" tests="${cases.length}" failures="${caseFailures}" errors="0" skipped="0" time="0">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="system-design-katas" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join("\n")}\n</testsuites>\n`;
}
