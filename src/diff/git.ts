/**
 * The spec files at a git revision: the whole tree of that commit extracted (`git archive`)
 * into a temporary directory, so everything a spec imports is there as it was.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeDiagnostic } from "../diagnostics/index.js";
import { TreeError } from "./tree-facts.js";

export interface Revision {
  /** As the user named it (or the default). */
  name: string;
  commit: string;
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 }).trim();
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

/** The top of the repository holding `cwd`, or VIG6020. */
export function repositoryRoot(cwd: string): string {
  const top = tryGit(cwd, ["rev-parse", "--show-toplevel"]);
  if (!top) throw new TreeError(makeDiagnostic("VIG6020", `${cwd} is not inside a git repository (or git is not installed): vigil diff --base needs one`, undefined, { hint: "compare two compiled directories with vigil diff --trees OLD NEW" }));
  return realpathSync(top);
}

/**
 * `--base REV`, or by default the merge base of HEAD with `origin/main` (what a pull request
 * against main changes) when that branch is known, else HEAD (what the uncommitted edits change).
 */
export function resolveBase(root: string, base: string | undefined): Revision {
  let name = base;
  if (name === undefined) {
    const mergeBase = tryGit(root, ["rev-parse", "--verify", "--quiet", "origin/main^{commit}"]) ? tryGit(root, ["merge-base", "HEAD", "origin/main"]) : undefined;
    if (mergeBase) return { name: "merge-base(HEAD, origin/main)", commit: mergeBase };
    name = "HEAD";
  }
  const commit = name.startsWith("-") ? undefined : tryGit(root, ["rev-parse", "--verify", "--quiet", `${name}^{commit}`]);
  if (!commit) throw new TreeError(makeDiagnostic("VIG6020", `git cannot resolve the revision "${name}" in ${root}`, undefined, { hint: "in a shallow CI checkout fetch the base branch (actions/checkout with fetch-depth: 0)" }));
  return { name, commit };
}

/** Extracts the commit's tree into a new temporary directory; `remove` deletes it. */
export function extractRevision(root: string, commit: string): { dir: string; remove: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "vigil-diff-base-")));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const tar = execFileSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 1024 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    execFileSync("tar", ["-x", "-f", "-", "-C", dir], { input: tar, stdio: ["pipe", "ignore", "pipe"] });
    // Packages a spec imports (other than vigil-monitoring, which the loader provides) resolve as in the working tree.
    if (existsSync(join(root, "node_modules")) && !existsSync(join(dir, "node_modules"))) symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  } catch (err) {
    remove();
    throw new TreeError(makeDiagnostic("VIG6020", `could not extract ${commit.slice(0, 12)} from ${root}: ${String((err as Error).message).split("\n")[0]}`));
  }
  return { dir, remove };
}
