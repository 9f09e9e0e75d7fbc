import { defineConfig } from "vitest/config";

// the grader's own tests; kata specs run through `npm run grade` and `npm run matrix` instead
export default defineConfig({
  test: {
    include: ["grader/test/**/*.test.ts", "docs/**/*.test.ts"],
    // the browser tests run apart, when chromium is there: npm run test:browser
    exclude: ["**/node_modules/**", "**/*.browser.test.ts", "**/.grade/**"],
    pool: "forks",
    testTimeout: 60_000,
  },
});
