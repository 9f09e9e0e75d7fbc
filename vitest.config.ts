import { defineConfig } from "vitest/config";

// the grader's own tests; kata specs run through `npm run grade` and `npm run matrix` instead
export default defineConfig({
  test: {
    include: ["grader/test/**/*.test.ts", "docs/**/*.test.ts"],
    // the browser tests run apart, when chromium is there: npm run test:browser
    exclude: ["**/node_modules/**", "**/*.browser.test.ts", "**/.grade/**"],
    pool: "forks",
    // vitest's default in a run is one worker fewer than the cores: one, on CI's two. Many of these
    // files wait on child processes (whole grades, PostgreSQL, Redis), so two at once finish sooner
    // (unit tests: about 85 s against 97-110 s on two cores)
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
