/** Why a path cannot be read as an input file, in words for a diagnostic. */
import { accessSync, constants, statSync } from "node:fs";

/** The reason `path` is not a readable regular file, or undefined when it is one. */
export function unreadableReason(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return "it is a directory";
    if (!st.isFile()) return "it is not a regular file";
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "ENOTDIR") return "a parent of it is not a directory";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "ELOOP") return "too many symbolic links";
    if (code === "ENAMETOOLONG") return "the path is too long";
    return err instanceof Error ? err.message : String(err);
  }
}
