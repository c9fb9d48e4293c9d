/**
 * `--location NAME`: this replica of the runtime runs from one of the locations of probes.json
 * (`probes.locations`): it runs the checks and journeys that list it, labels every metric with
 * `location`, and sends `x-vigil-location: NAME` with each HTTP request that does not set that
 * header itself, so targets can tell the locations' traffic apart.
 */
import type { ProbesConfig } from "../config.js";

/** The request header a located runtime sends. */
export const LOCATION_HEADER = "x-vigil-location";

const NAME = /^[a-z0-9][a-z0-9-]*$/;

export function parseLocation(value: string): string {
  if (!NAME.test(value)) throw new Error(`--location: expected a location name (lower-case letters, digits and '-'), got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The config this location runs. A located config needs `--location` (except for `--check`,
 * which validates the whole file); an unlocated one takes none.
 */
export function locationConfig(config: ProbesConfig, location: string | undefined, checkOnly: boolean): ProbesConfig {
  const names = config.locations;
  if (names === undefined) {
    if (location !== undefined) throw new Error(`--location ${location}: this probes.json declares no locations (probes.locations)`);
    return config;
  }
  if (location === undefined) {
    if (checkOnly) return config;
    throw new Error(`this probes.json runs in locations ${names.join(", ")}: pass --location NAME`);
  }
  if (!names.includes(location)) throw new Error(`--location ${location}: not one of the locations of this probes.json (${names.join(", ")})`);
  const here = (p: { locations?: string[] }) => p.locations?.includes(location) ?? true;
  return { ...config, checks: config.checks.filter(here), journeys: config.journeys.filter(here) };
}
