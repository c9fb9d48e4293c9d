/**
 * Writing and drift checking on a real file system: all files or none, never over files
 * Vigil did not generate, and `checkDrift` reports every difference with VIG5002.
 *
 * Trees are snapshotted with plain `fs` (not with `listFiles` from the code under test), and
 * snapshots of the output directory's parent also catch staging directories left behind.
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { OutputFile } from "../emit/types.js";
import { checkDrift } from "./drift.js";
import { writeOutput } from "./writer.js";

/** Every entry below `dir`: directories as `dir`, files as the sha256 of their bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out[path + "/"] = "dir";
        walk(path);
      } else {
        out[path] = createHash("sha256").update(readFileSync(join(dir, path))).digest("hex");
      }
    }
  };
  walk("");
  return out;
}

/** Just the file paths below `dir`, sorted. */
function filesIn(dir: string): string[] {
  return Object.keys(snapshot(dir))
    .filter((p) => !p.endsWith("/"))
    .sort();
}

/** A set of output files plus the manifest Vigil writes with them (what `emitAll` produces). */
function withManifest(files: Record<string, string>): OutputFile[] {
  const list = Object.entries(files).map(([path, content]) => ({ path, content }));
  const hashes = Object.fromEntries(list.map((f) => [f.path, createHash("sha256").update(f.content).digest("hex")]));
  const manifest = JSON.stringify({ generator: "vigil", version: "0.0.0-test", files: hashes }, null, 2) + "\n";
  return [...list, { path: "manifest.json", content: manifest }];
}

const V1 = withManifest({
  "prometheus/rules/api.rules.yml": "groups:\n  - name: api\n    rules: []\n",
  "prometheus/rules/web.rules.yml": "groups:\n  - name: web\n    rules: []\n",
  "prometheus/tests/api.test.yml": "rule_files: [../rules/api.rules.yml]\ntests: []\n",
});

const V2 = withManifest({
  "prometheus/rules/api.rules.yml": "groups:\n  - name: api\n    interval: 1m\n    rules: []\n",
  "prometheus/tests/api.test.yml": "rule_files: [../rules/api.rules.yml]\ntests: []\n",
});

let root: string;
let out: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "vigil-write-"));
  out = join(root, "out");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function expectTree(dir: string, files: readonly OutputFile[]): void {
  expect(filesIn(dir)).toEqual(files.map((f) => f.path).sort());
  for (const f of files) expect(readFileSync(join(dir, f.path), "utf8"), f.path).toBe(f.content);
}

describe("writeOutput", () => {
  test("writes exactly the given files into an empty directory, and nothing beside it", () => {
    mkdirSync(out);
    expect(writeOutput(out, V1)).toEqual([]);
    expectTree(out, V1);
    expect(readdirSync(root)).toEqual(["out"]); // no staging or backup directory left behind
  });

  test("creates a missing output directory and its parents", () => {
    const nested = join(root, "a", "b", "out");
    expect(writeOutput(nested, V1)).toEqual([]);
    expectTree(nested, V1);
    expect(readdirSync(join(root, "a", "b"))).toEqual(["out"]);
  });

  test("re-writing removes a file the previous write produced and the new set does not", () => {
    expect(writeOutput(out, V1)).toEqual([]);
    expect(writeOutput(out, V2)).toEqual([]);
    expectTree(out, V2);
    expect(filesIn(out)).not.toContain("prometheus/rules/web.rules.yml");
    expect(readdirSync(root)).toEqual(["out"]);
  });

  test("a generated file edited by hand is still Vigil's: it is overwritten, not reported", () => {
    expect(writeOutput(out, V1)).toEqual([]);
    writeFileSync(join(out, "prometheus/rules/api.rules.yml"), "hand edit\n");
    expect(writeOutput(out, V1)).toEqual([]);
    expectTree(out, V1);
  });

  test("a foreign file (not in the previous manifest) fails with VIG5001 and changes nothing", () => {
    expect(writeOutput(out, V1)).toEqual([]);
    writeFileSync(join(out, "prometheus/rules/handwritten.rules.yml"), "groups: []\n");
    const before = snapshot(root);

    const diagnostics = writeOutput(out, V2);

    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["VIG5001", "error"]]);
    expect(diagnostics[0]!.message).toContain("prometheus/rules/handwritten.rules.yml");
    expect(diagnostics[0]!.location).toBeUndefined(); // a directory, not a source: no made-up 1:1
    expect(snapshot(root)).toEqual(before); // every file byte for byte, and no staging directory
  });

  test("a directory of files without a manifest is foreign: VIG5001, nothing changed", () => {
    mkdirSync(join(out, "prometheus/rules"), { recursive: true });
    writeFileSync(join(out, "prometheus/rules/api.rules.yml"), "mine\n");
    writeFileSync(join(out, "README.md"), "# my rules\n");
    const before = snapshot(root);
    const diagnostics = writeOutput(out, V1);
    expect(diagnostics.map((d) => d.code)).toEqual(["VIG5001"]);
    expect(diagnostics[0]!.message).toContain("README.md");
    expect(snapshot(root)).toEqual(before);
  });

  test.each([
    ["written by another tool", JSON.stringify({ generator: "other", version: "1", files: { "a.txt": "x" } })],
    ["not JSON", "{ this is not json"],
  ])("a manifest %s does not make its files Vigil's: VIG5001", (_, manifest) => {
    mkdirSync(out);
    writeFileSync(join(out, "manifest.json"), manifest);
    writeFileSync(join(out, "a.txt"), "x");
    const before = snapshot(root);
    expect(writeOutput(out, V1).map((d) => d.code)).toEqual(["VIG5001"]);
    expect(snapshot(root)).toEqual(before);
  });

  test("an output path that is a regular file is not replaced: VIG5001", () => {
    writeFileSync(out, "not a directory\n");
    const before = snapshot(root);
    expect(writeOutput(out, V1).map((d) => d.code)).toEqual(["VIG5001"]);
    expect(snapshot(root)).toEqual(before);
  });

  // A file and a directory at the same path cannot both be written: the write fails after some
  // files are already staged, whichever comes first.
  describe.each([
    ["a file, then a directory of the same name", ["prometheus/rules", "prometheus/rules/api.rules.yml"]],
    ["a directory, then a file of the same name", ["prometheus/rules/api.rules.yml", "prometheus/rules"]],
  ])("a write that fails midway (%s) is all or nothing", (_, paths) => {
    const conflicting: OutputFile[] = [
      { path: "manifest.json", content: V2.find((f) => f.path === "manifest.json")!.content },
      ...paths.map((path) => ({ path, content: `content of ${path}\n` })),
    ];

    test("the previous output stays byte for byte; VIG5003", () => {
      expect(writeOutput(out, V1)).toEqual([]);
      const before = snapshot(root);
      const diagnostics = writeOutput(out, conflicting);
      expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["VIG5003", "error"]]);
      expect(snapshot(root)).toEqual(before);
    });

    test("a new output directory is not created at all", () => {
      const diagnostics = writeOutput(out, conflicting);
      expect(diagnostics.map((d) => d.code)).toEqual(["VIG5003"]);
      expect(readdirSync(root)).toEqual([]);
    });
  });
});

describe("checkDrift", () => {
  beforeEach(() => {
    expect(writeOutput(out, V1)).toEqual([]);
  });

  test("is empty for an identical tree", () => {
    expect(checkDrift(out, V1)).toEqual([]);
  });

  test("reports a missing file with VIG5002, without a location", () => {
    rmSync(join(out, "prometheus/tests/api.test.yml"));
    const diagnostics = checkDrift(out, V1);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["VIG5002", "error"]]);
    expect(diagnostics[0]!.message).toContain("prometheus/tests/api.test.yml");
    expect(diagnostics[0]!.message).toMatch(/missing/);
    expect(diagnostics[0]!.location).toBeUndefined(); // no such file to point into
  });

  test("reports a changed file at its first differing line, with a diff excerpt", () => {
    const path = "prometheus/rules/web.rules.yml";
    writeFileSync(join(out, path), "groups:\n  - name: web\n    rules: [oops]\n");
    const diagnostics = checkDrift(out, V1);
    expect(diagnostics.map((d) => d.code)).toEqual(["VIG5002"]);
    const d = diagnostics[0]!;
    expect(d.message).toContain(path);
    expect(d.location).toMatchObject({ file: join(out, path), line: 3 });
    expect(d.hint).toContain("-     rules: [oops]"); // what is committed
    expect(d.hint).toContain("+     rules: []"); // what the spec compiles to
    expect(d.hint).not.toContain("name: web"); // unchanged lines are not part of the change
  });

  test("reports a file the spec no longer generates", () => {
    writeFileSync(join(out, "prometheus/rules/old.rules.yml"), "groups: []\n");
    const diagnostics = checkDrift(out, V1);
    expect(diagnostics.map((d) => d.code)).toEqual(["VIG5002"]);
    expect(diagnostics[0]!.message).toContain("prometheus/rules/old.rules.yml");
    expect(diagnostics[0]!.location?.file).toBe(join(out, "prometheus/rules/old.rules.yml"));
  });

  test("reports missing, changed and extra files together, one diagnostic each", () => {
    // Against V2: web.rules.yml is extra, api.rules.yml changed, and a V2-only file is missing.
    const expected = [...V2, { path: "prometheus/tests/web.test.yml", content: "tests: []\n" }];
    const diagnostics = checkDrift(out, expected);
    expect(diagnostics.every((d) => d.code === "VIG5002" && d.severity === "error")).toBe(true);
    const about = (path: string) => diagnostics.filter((d) => d.message.includes(path));
    expect(about("prometheus/rules/api.rules.yml")).toHaveLength(1);
    expect(about("prometheus/rules/web.rules.yml")).toHaveLength(1);
    expect(about("prometheus/tests/web.test.yml")).toHaveLength(1);
    expect(about("manifest.json")).toHaveLength(1); // V2's manifest differs from V1's
    expect(about("prometheus/tests/api.test.yml")).toEqual([]); // the same in both
    expect(diagnostics).toHaveLength(4);
  });

  test("an output directory that does not exist is missing every file", () => {
    const diagnostics = checkDrift(join(root, "nowhere"), V1);
    expect(diagnostics.map((d) => d.code)).toEqual(V1.map(() => "VIG5002"));
    for (const f of V1) expect(diagnostics.filter((d) => d.message.includes(f.path) && /missing/.test(d.message))).toHaveLength(1);
  });
});

describe("edge cases found in review", () => {
  test("checkDrift on a regular file reports VIG5002 instead of crashing", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-drift-file-"));
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "hi");
    const diags = checkDrift(file, [{ path: "a.txt", content: "x" }]);
    expect(diags.map((d) => d.code)).toEqual(["VIG5002"]);
    expect(diags[0]!.message).toContain("not a directory");
    rmSync(dir, { recursive: true, force: true });
  });

  test("writes through a symlinked output directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-symlink-"));
    const real = join(dir, "real");
    mkdirSync(real);
    symlinkSync(real, join(dir, "link"));
    expect(writeOutput(join(dir, "link"), [{ path: "a.txt", content: "x" }])).toEqual([]);
    expect(lstatSync(join(dir, "link")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(real, "a.txt"), "utf8")).toBe("x");
    rmSync(dir, { recursive: true, force: true });
  });
});
