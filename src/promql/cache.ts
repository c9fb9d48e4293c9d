/** Parsed expressions by text: the same PromQL is parsed by checks, emitters and test synthesis. */
import { parsePromQL, type ParseResult } from "./parse.js";

const MAX_ENTRIES = 2000;
const cache = new Map<string, ParseResult>();

export function parsePromQLCached(text: string): ParseResult {
  let result = cache.get(text);
  if (!result) {
    result = parsePromQL(text);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(text, result);
  }
  return result;
}
