// npm run test:browser: the site's tests in a real browser, when there is one.
// Without chromium they are skipped with one line, unless REQUIRE_BROWSER is set (CI sets it).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const how = "install it with `sudo apt-get install chromium chromium-driver`, or set CHROMIUM_PATH";
  if (process.env.REQUIRE_BROWSER) {
    console.error(`browser tests required, but there is no chromium at ${chromium}: ${how}`);
    process.exit(1);
  }
  console.log(`browser tests skipped: no chromium at ${chromium}; to run them, ${how}`);
  process.exit(0);
}
const vitest = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--config", "vitest.browser.config.ts"],
  {
    stdio: "inherit",
  },
);
process.exit(vitest.status ?? 1);
