/**
 * time.Time.String() for UTC instants:
 * layout "2006-01-02 15:04:05.999999999 -0700 MST" (fraction trimmed of
 * trailing zeros, omitted when zero). Reference: go1.19 src/time/format.go.
 */

const NS_PER_SEC = 1_000_000_000n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function formatTimeUTC(unixNanos: bigint): string {
  let sec = unixNanos / NS_PER_SEC;
  let frac = unixNanos % NS_PER_SEC;
  if (frac < 0n) {
    frac += NS_PER_SEC;
    sec -= 1n;
  }
  const d = new Date(Number(sec) * 1000);
  const year = d.getUTCFullYear();
  // Go pads the year to 4 digits and keeps the sign for negative years.
  const yearStr = year < 0 ? "-" + pad(-year, 4) : pad(year, 4);
  let out =
    `${yearStr}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (frac !== 0n) out += "." + frac.toString().padStart(9, "0").replace(/0+$/, "");
  return out + " +0000 UTC";
}
