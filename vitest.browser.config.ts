import { defineConfig } from "vitest/config";

// the site in a real browser: Debian's chromium through playwright-core. Run by npm run test:browser
export default defineConfig({
  test: {
    include: ["docs/**/*.browser.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
