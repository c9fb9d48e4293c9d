/** The external tools `vigil test` runs: finding them on PATH, and running one with a time limit. */
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** The Debian package that ships each tool (amtool comes with the Alertmanager server). */
export const TOOL_PACKAGES = { promtool: "prometheus", amtool: "prometheus-alertmanager" } as const;
export type Tool = keyof typeof TOOL_PACKAGES;

/** True when an executable file `bin` is in one of PATH's directories. */
export function onPath(bin: string, path: string | undefined): boolean {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue; // a relative entry would depend on the cwd
    const file = join(dir, bin);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** `vigil: promtool not found on PATH: install Debian's prometheus package (apt-get install -y prometheus)`. */
export function missingToolsMessage(tools: readonly Tool[]): string {
  const pkgs = [...new Set(tools.map((t) => TOOL_PACKAGES[t]))];
  const names = tools.join(" and ");
  const what = pkgs.length === 1 ? `Debian's ${pkgs[0]} package` : `Debian's ${pkgs.join(" and ")} packages`;
  return `vigil: ${names} not found on PATH: install ${what} (apt-get install -y ${pkgs.join(" ")})\n`;
}

export interface ToolRun {
  /** The exit status; -1 when the tool could not be started or was stopped. */
  code: number;
  /** Standard output and standard error, in that order. */
  output: string;
}

export function runTool(bin: string, args: readonly string[], options: { cwd: string; timeoutMs: number }): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(bin, [...args], { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!err) return resolve({ code: 0, output });
      if (typeof err.code === "number") return resolve({ code: err.code, output });
      const why = err.killed || err.signal ? `stopped after ${options.timeoutMs / 1000} s (${err.signal ?? "killed"})` : `could not run: ${err.message}`;
      resolve({ code: -1, output: `${output}${output && !output.endsWith("\n") ? "\n" : ""}${bin} ${why}\n` });
    });
  });
}
