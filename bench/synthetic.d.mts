/** Types of bench/synthetic.mjs, for the test that keeps the synthetic platform compiling. */
export interface SyntheticSize {
  services: number;
  slos: number;
  ladders: number;
  dashboards: number;
  checks: number;
}
export function syntheticServiceSpec(index: number, size: SyntheticSize): string;
export function writeSyntheticPlatform(dir: string, size: SyntheticSize): string[];
export function platformOf(totalSlos: number): SyntheticSize;
export function sloCount(size: SyntheticSize): number;
