/**
 * Indented Logstash config text, and the checked builders every emitted string, field
 * reference and sprintf goes through (`values.ts`). Normalization already refused what those
 * cannot write, so a refusal here is a bug: thrown, never written.
 */
import { fieldRef, quoteValue, sprintf, type Built, type SprintfPart } from "./values.js";

function must(b: Built): string {
  if (!b.ok) throw new Error(`internal: unwritable Logstash value (${b.reason})`);
  return b.text;
}
/** A quoted string. */
export const str = (value: string): string => must(quoteValue(value));
/** A field reference `[a][b]`. */
export const ref = (path: readonly string[]): string => must(fieldRef(path));
/** A quoted sprintf string. */
export const fmt = (parts: readonly SprintfPart[]): string => str(must(sprintf(parts)));

export class ConfigWriter {
  private readonly out: string[] = [];
  private depth = 0;

  put(line: string): void {
    this.out.push(`${"  ".repeat(this.depth)}${line}`);
  }
  /** `head {`, the body, `}`. */
  block(head: string, body: () => void): void {
    this.put(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.put("}");
  }
  /** `if c1 { } else if c2 { } else { }`; a clause without condition is the `else`. */
  branches(clauses: readonly { condition?: string; body: () => void }[]): void {
    clauses.forEach((c, i) => {
      const head = c.condition === undefined ? "else" : i === 0 ? `if ${c.condition}` : `else if ${c.condition}`;
      this.put(i === 0 ? `${head} {` : `} ${head} {`);
      this.depth++;
      c.body();
      this.depth--;
    });
    if (clauses.length) this.put("}");
  }
  /** `key => [a, b]`, one line. */
  list(key: string, items: readonly string[]): void {
    this.put(`${key} => [${items.join(", ")}]`);
  }
  /** `key => [`, one item a line with commas between, `]`. */
  lines(key: string, items: readonly string[]): void {
    this.put(`${key} => [`);
    this.depth++;
    items.forEach((item, i) => this.put(i < items.length - 1 ? `${item},` : item));
    this.depth--;
    this.put("]");
  }
  /** `key => { k => v ... }`: hash entries take no commas. */
  hash(key: string, entries: readonly [string, string][]): void {
    if (entries.length === 1) return this.put(`${key} => { ${entries[0]![0]} => ${entries[0]![1]} }`);
    this.block(`${key} =>`, () => entries.forEach(([k, v]) => this.put(`${k} => ${v}`)));
  }
  text(): string {
    return `${this.out.join("\n")}\n`;
  }
}
