/**
 * Whether the human reporter paints its output: `--color` / `--no-color` on the command line,
 * else FORCE_COLOR (as Node reads it: `0` or `false` turns colour off, any other value on),
 * else NO_COLOR (any non-empty value turns it off, https://no-color.org), else colour when
 * standard error is a terminal that is not `TERM=dumb`.
 */

export function colorFromEnvironment(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY && env.TERM !== "dumb";
}

/**
 * Removes `--color` and `--no-color` (any command takes them, before a `--`) from `argv`; the
 * last one given wins over `fallback`.
 */
export function takeColorFlags(argv: readonly string[], fallback: boolean): { argv: string[]; color: boolean } {
  const rest: string[] = [];
  let color = fallback;
  let ended = false;
  for (const arg of argv) {
    if (!ended && arg === "--color") color = true;
    else if (!ended && arg === "--no-color") color = false;
    else {
      if (arg === "--") ended = true;
      rest.push(arg);
    }
  }
  return { argv: rest, color };
}
