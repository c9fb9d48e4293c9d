/** Parsed expressions by target and text: the same PromQL is parsed by checks, emitters and test synthesis. */
import { parsePromQL, type ParseResult } from "./parse.js";

const MAX_ENTRIES = 4000;
const cache = new Map<string, ParseResult>();

export function parsePromQLCached(text: string, target?: string): ParseResult {
  const key = `${target ?? ""}\u0000${text}`;
  let result = cache.get(key);
  if (!result) {
    result = parsePromQL(text, target);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, result);
  }
  return result;
}
