/** Alertmanager time intervals generated at test time: one that holds now, one that does not. */
import type { TimeIntervalSpec } from "../src/spec/types.js";

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Holds from an hour before now to two hours after (UTC), and over the next midnight if that comes first. */
export function intervalAroundNow(name: string, now = new Date()): TimeIntervalSpec {
  const h = now.getUTCHours();
  const day = now.getUTCDay();
  return {
    name,
    ranges: [
      { weekdays: [WEEKDAYS[day]!], times: [{ start: `${pad(Math.max(0, h - 1))}:00`, end: h + 2 >= 24 ? "24:00" : `${pad(h + 2)}:00` }], location: "UTC" },
      { weekdays: [WEEKDAYS[(day + 1) % 7]!], times: [{ start: "00:00", end: "01:00" }], location: "UTC" },
    ],
  };
}

/** Holds on a weekday three days away: not during the test. */
export function intervalNotNow(name: string, now = new Date()): TimeIntervalSpec {
  return { name, ranges: [{ weekdays: [WEEKDAYS[(now.getUTCDay() + 3) % 7]!], location: "UTC" }] };
}
