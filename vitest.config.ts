import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Most of the suite waits on real tools (promtool, amtool, servers, the CLI): two test
    // files at once on two cores (vitest's default leaves one core idle).
    maxWorkers: 2,
  },
});
