/**
 * Issue 15 item 4, through the real CLI on a real file system: a write killed (SIGKILL)
 * between any two of its steps is recovered by the next `vigil compile`, and a file system
 * that refuses the write (EACCES, ENOSPC, EROFS) is VIG5003 with the previous output intact.
 *
 * The kill comes from inside the writer (its `onStep` hook, called after each step) in a child
 * process that runs the built compiler; the next run is the CLI. EACCES is produced by running
 * the CLI as an unprivileged user (setpriv, when the tests run as root, which ignores
 * permissions); ENOSPC and EROFS by a small tmpfs and a read-only remount of it, which need
 * root and a kernel that lets the tests mount: those cases are skipped otherwise, and say so.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO, runCli, sha256Tree } from "./helpers.js";

const MINIMAL = join(REPO, "examples/minimal/monitoring.ts");
const HALCYTONE = join(REPO, "examples/halcytone/monitoring.ts");
const isRoot = process.getuid?.() === 0;

let work: string;
/** examples/minimal with another objective: a second, different output. */
let v2: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vigil-write-faults-"));
  v2 = join(work, "v2.ts");
  writeFileSync(v2, readFileSync(MINIMAL, "utf8").replace("objective: 99.9,", "objective: 99.5,"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Vigil's own copies beside an output directory (`.out.vigil-staging-…`, `.out.vigil-old-…`). */
const copiesBeside = (parent: string) => readdirSync(parent).filter((n) => n.includes(".vigil-"));

function compileInto(spec: string, out: string): void {
  const r = runCli(["compile", spec, "--out", out, "--no-typecheck"], work);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.status).toBe(0);
}

/** `<work>/<name>/out` holding the minimal example's output, with the hash of that tree. */
function compiledOutput(name: string): { parent: string; out: string; before: string } {
  const parent = join(work, name);
  const out = join(parent, "out");
  mkdirSync(parent);
  compileInto(MINIMAL, out);
  return { parent, out, before: sha256Tree(out) };
}

/** Compiles `spec` and writes it to `out` in a child process that SIGKILLs itself right after `step`. */
function killedWrite(spec: string, out: string, step: string): void {
  const script = `
    const { compile } = await import(${JSON.stringify(join(REPO, "dist/compile.js"))});
    const { writeOutput } = await import(${JSON.stringify(join(REPO, "dist/write/writer.js"))});
    const result = await compile([${JSON.stringify(spec)}], { typecheck: false });
    if (result.files.length === 0) throw new Error("the spec did not compile");
    writeOutput(${JSON.stringify(out)}, result.files, { onStep: (s) => { if (s === ${JSON.stringify(step)}) process.kill(process.pid, "SIGKILL"); } });
    console.log("not killed");`;
  // A file, not `node -e`: the spec worker would inherit --input-type and refuse to start.
  const file = join(work, `kill-after-${step}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { cwd: work, encoding: "utf8", timeout: 60_000 });
  expect(r.stdout).not.toContain("not killed");
  expect(r.signal).toBe("SIGKILL");
}

describe("a write killed between its steps is recovered by the next run", () => {
  let expected: string;
  beforeAll(() => {
    const reference = join(work, "reference");
    compileInto(v2, reference);
    expected = sha256Tree(reference);
  });

  test("killed after staging: the output is untouched and the next run removes the staging copy", () => {
    const { parent, out, before } = compiledOutput("staged");
    killedWrite(v2, out, "staged");
    expect(sha256Tree(out)).toBe(before);
    expect(copiesBeside(parent).filter((n) => n.includes("staging"))).toHaveLength(1);

    const r = runCli(["compile", v2, "--out", out, "--no-typecheck"], work);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/VIG5004: removed 1 stale copy of .*out left by interrupted vigil runs/);
    expect(sha256Tree(out)).toBe(expected);
    expect(copiesBeside(parent)).toEqual([]);
  });

  test("killed between the two renames (no output directory at all): the next run restores it, then writes", () => {
    const { parent, out, before } = compiledOutput("moved-aside");
    killedWrite(v2, out, "moved-aside");
    // The window the issue describes: `out` is gone, its complete old copy sits beside it.
    expect(existsSync(out)).toBe(false);
    const old = copiesBeside(parent).find((n) => n.includes("vigil-old-"));
    expect(old).toBeDefined();
    expect(sha256Tree(join(parent, old!))).toBe(before);

    const r = runCli(["compile", v2, "--out", out, "--no-typecheck"], work);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/VIG5004: restored .*out from .*vigil-old-.*, left by an interrupted vigil compile/);
    expect(sha256Tree(out)).toBe(expected);
    expect(copiesBeside(parent)).toEqual([]);
  });

  test("killed between the two renames, then the same output compiled again: the restored tree is the previous one", () => {
    const { parent, out, before } = compiledOutput("moved-aside-again");
    killedWrite(v2, out, "moved-aside");
    expect(existsSync(out)).toBe(false);
    compileInto(MINIMAL, out);
    expect(sha256Tree(out)).toBe(before);
    expect(copiesBeside(parent)).toEqual([]);
  });

  test("killed after the swap: the new output is in place and the next run removes the old copy", () => {
    const { parent, out } = compiledOutput("swapped");
    killedWrite(v2, out, "swapped");
    expect(sha256Tree(out)).toBe(expected);
    expect(copiesBeside(parent).filter((n) => n.includes("vigil-old-"))).toHaveLength(1);

    const r = runCli(["compile", v2, "--out", out, "--no-typecheck"], work);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/VIG5004: removed 1 stale copy/);
    expect(sha256Tree(out)).toBe(expected);
    expect(copiesBeside(parent)).toEqual([]);
  });
});

/** Output of a CLI run refused by the file system: VIG5003 on one line, exit 1, no stack, no made-up location. */
function expectRefused(r: { status: number; stderr: string }, reason: RegExp): void {
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^error VIG5003: cannot (write|replace) /m);
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).toMatch(/nothing was changed/);
  expect(r.stderr).not.toMatch(/:1:1\b/);
  expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe("EACCES: a directory the user may not write", () => {
  const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
  /** The CLI as an unprivileged user when the tests run as root (root ignores permissions). */
  const asUser = (args: string[]) => {
    if (!isRoot) return runCli(args, work);
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, join(REPO, "bin/vigil.mjs"), ...args], {
      cwd: "/",
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { status: r.status ?? -1, stderr: r.stderr };
  };

  test.skipIf(isRoot && !setpriv)("a new output directory in it: VIG5003, nothing written", () => {
    const parent = join(work, "eacces-new");
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    chmodSync(work, 0o755);
    cpSync(MINIMAL, join(parent, "..", "eacces-spec.ts"));
    chmodSync(join(work, "eacces-spec.ts"), 0o644);
    const r = asUser(["compile", join(work, "eacces-spec.ts"), "--out", join(parent, "out"), "--no-typecheck"]);
    expectRefused(r, /permission denied|is read-only/);
    expect(readdirSync(parent)).toEqual([]);
  });

  test.skipIf(isRoot && !setpriv)("an existing output owned by someone else: VIG5003, the output unchanged", () => {
    const { parent, out, before } = compiledOutput("eacces-existing");
    if (!isRoot) {
      chmodSync(parent, 0o555);
      chmodSync(out, 0o555);
    }
    chmodSync(work, 0o755);
    chmodSync(v2, 0o644);
    const r = asUser(["compile", v2, "--out", out, "--no-typecheck"]);
    if (!isRoot) {
      chmodSync(out, 0o755);
      chmodSync(parent, 0o755);
    }
    expectRefused(r, /permission denied|is read-only/);
    expect(sha256Tree(out)).toBe(before);
    expect(copiesBeside(parent)).toEqual([]);
  });
});

/** A tmpfs of `size` at a new directory; undefined when this process may not mount. */
function mountTmpfs(size: string): string | undefined {
  if (!isRoot) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "vigil-tmpfs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0755`, "tmpfs", dir]);
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return dir;
}

function unmount(dir: string | undefined): void {
  if (!dir) return;
  spawnSync("umount", [dir]);
  rmSync(dir, { recursive: true, force: true });
}

describe("ENOSPC and EROFS on a real tmpfs (root only: skipped when the tests cannot mount)", () => {
  const mounts: (string | undefined)[] = [];
  afterAll(() => mounts.forEach(unmount));
  const canMount = (() => {
    const probe = mountTmpfs("64k");
    unmount(probe);
    return probe !== undefined;
  })();

  test.skipIf(!canMount)("ENOSPC: a bigger output than the file system holds is VIG5003, the previous output unchanged", () => {
    const fs = mountTmpfs("256k");
    mounts.push(fs);
    const out = join(fs!, "out");
    compileInto(MINIMAL, out); // ~90 KB
    const before = sha256Tree(out);
    const r = runCli(["compile", HALCYTONE, "--out", out, "--no-typecheck"], work); // ~490 KB
    expectRefused(r, /no space left on device/);
    expect(sha256Tree(out)).toBe(before);
    expect(copiesBeside(fs!)).toEqual([]);
  });

  test.skipIf(!canMount)("EROFS: an output on a file system remounted read-only is VIG5003, the output unchanged", () => {
    const fs = mountTmpfs("1m");
    mounts.push(fs);
    const out = join(fs!, "out");
    compileInto(MINIMAL, out);
    const before = sha256Tree(out);
    expect(spawnSync("mount", ["-o", "remount,ro", fs!]).status).toBe(0);
    const r = runCli(["compile", v2, "--out", out, "--no-typecheck"], work);
    expectRefused(r, /read-only/);
    expect(sha256Tree(out)).toBe(before);
    const fresh = runCli(["compile", v2, "--out", join(fs!, "new"), "--no-typecheck"], work);
    expectRefused(fresh, /read-only file system/);
    expect(existsSync(join(fs!, "new"))).toBe(false);
  });
});
