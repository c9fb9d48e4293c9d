#!/usr/bin/env node
// Regenerates test/promql/truth-2.42.json: what the real promtool (Debian's Prometheus 2.42.0,
// `promtool check rules`) says about every expression of test/promql/corpus.txt.
//
//   node scripts/promql-truth.mjs           rewrite the truth file
//   node scripts/promql-truth.mjs --check   exit 1 if the committed truth differs from a fresh run
//   PROMTOOL=/path/to/promtool node ...     use another binary (default: `promtool` on PATH);
//                                           its version must be 2.42.x, the file is named after it.
//
// HOW IT ASKS. All expressions go into one rule file, one recording rule each, in one group:
//   groups:
//     - name: corpus
//       rules:
//         - record: corpus:expr:n<i>        (i = 0-based corpus index; always a valid, unique name)
//           expr: "<expression>"            (YAML double-quoted; every byte outside 0x20-0x7E escaped)
// so only the expression can make a rule fail. The file is read back with the `yaml` package to
// prove each expr survives the quoting byte for byte, and after the main run the expressions found
// valid are checked again on their own: promtool must answer `SUCCESS: <that many> rules found`.
// (Checked once by hand: running every corpus expression alone, in its own file, gives exactly the
// same verdict and text as the batched run, so batching does not change any answer.)
//
// WHAT PROMTOOL REPORTS (found by experiment with 2.42.0+ds and by reading the v2.42.0 source:
// model/rulefmt/rulefmt.go, promql/parser/parse.go):
//   - Every failing rule of the file is reported, in file order, in one run (stderr, after
//     "  FAILED:"), exit status 1. Each rule gets at most one line (a rule has one expr error):
//       <file>: <yamlLine>:<yamlCol>: group "corpus", rule <i+1>, "corpus:expr:n<i>": <detail>
//     With no failure: stdout "  SUCCESS: <n> rules found", exit status 0.
//   - <detail> for a parse failure is
//       could not parse expression: <L>:<C>: parse error: <message>
//     Only the FIRST error the parser collected is printed (ParseErrors.Error() returns errs[0]).
//     Syntax errors stop the parse; type checking (checkAST) runs only on a syntactically valid tree.
//   - Positions (ParseErr.Error in promql/parser/parse.go): pos = start byte offset of the error's
//     position range in the expression; L = 1 + number of '\n' bytes before pos; C = pos minus the
//     byte index of the last '\n' before pos (-1 if none). So both are 1-based, C counts BYTES, not
//     characters (é is 2 bytes, 😀 is 4), a tab counts 1, and C restarts on each line of a
//     multi-line expression. The position is the start of the offending token or node, e.g.
//       up ==            -> 1:6  unexpected end of input   (end of input = byte offset len(expr))
//       "é" + é          -> 1:8  unexpected character: 'é' (character column would be 7)
//       foo{\n  a="b",\n  c=~"("\n}  -> 3:3  error parsing regexp: ...  (the label name c)
//     Lexer errors use the lexer's current token start (the error range runs to the end of input):
//     the opening quote for unterminated strings and bad escapes (foo + "\z" -> 1:7), the offending
//     character for "unexpected character...", len(expr) for "unclosed left parenthesis/bracket"
//     and "unexpected end of input inside braces" (( -> 1:2), and the byte AFTER the `)` for
//     "unexpected right parenthesis" (the `)` token is emitted before the depth check: up) -> 1:4),
//     whereas "unexpected right bracket" points at the `]` itself (up] -> 1:3).
//     Checks after parsing point at the start of a node: arity errors at the call's name or the
//     aggregation operator (abs() -> 1:1), argument type errors at the argument (abs(foo[5m]) ->
//     1:5), "binary expression must contain only scalar and instant vector types" at the bad
//     operand (rate(up[5m]) + up[5m] -> 1:16), other binary-expression errors (vector matching, set
//     operators with scalars) at the left operand, "ranges only allowed for vector selectors" at
//     the `[`; "bool modifier..." and "comparisons between scalars..." point at the first
//     non-space byte after the left operand, which may be a `#` comment (1 # c\n> 2 -> 1:3).
//     A position outside the input would print "invalid position:" instead of L:C (none in corpus).
//   - Messages may contain newlines (regexp errors quote the pattern raw); they are kept verbatim.
//   - Not every failure is a parse error: the empty expression gives "field 'expr' must be set in
//     rule" (no position); whitespace- or comment-only input gives 1:1 "no expression found in input".
//     A string-typed expression such as "foo" passes `check rules` (the type is only checked when
//     the rule is evaluated).
//
// OUTPUT. {promtool, corpus, counts, entries}; entries in corpus order, one per line, keys in the
// order expr, valid, message, line, col; `message` is promtool's text after "could not parse
// expression: L:C: parse error: " (or the whole detail when it is not a positioned parse error).
// Nothing depends on time, temp paths or the environment, so two runs give identical bytes.
//
// CORPUS FORMAT (see the head of corpus.txt): one expression per line, verbatim; `#` at column 0
// starts a comment line; empty/blank lines are skipped; `\n` is a line feed, `\\n` a literal
// backslash + n; a line that is exactly `<empty>` is the empty expression; duplicates are an error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import YAML from "yaml";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CORPUS = "test/promql/corpus.txt";
const TRUTH = "test/promql/truth-2.42.json";
const VERSION_PREFIX = "promtool, version 2.42.";
const PROMTOOL = process.env.PROMTOOL || "promtool";
const GROUP = "corpus";
const recordName = (i) => `corpus:expr:n${i}`;

function fail(message) {
  console.error(`promql-truth: ${message}`);
  process.exit(2);
}

/** Corpus text -> expressions (see CORPUS FORMAT above). */
export function readCorpus(text) {
  const exprs = [];
  const seen = new Map();
  text.split("\n").forEach((line, i) => {
    if (line.startsWith("#") || line.trim() === "") return;
    const expr = line === "<empty>" ? "" : line.replace(/\\\\n|\\n/g, (m) => (m.length === 3 ? "\\n" : "\n"));
    if (seen.has(expr)) throw new Error(`${CORPUS}:${i + 1}: duplicate of line ${seen.get(expr)}: ${line}`);
    seen.set(expr, i + 1);
    exprs.push(expr);
  });
  return exprs;
}

/** YAML double-quoted scalar; everything outside printable ASCII is escaped. */
function yamlQuote(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

function ruleFile(exprs, names) {
  let text = `groups:\n  - name: ${GROUP}\n    rules:\n`;
  exprs.forEach((expr, i) => {
    text += `      - record: ${names[i]}\n        expr: ${yamlQuote(expr)}\n`;
  });
  const back = YAML.parse(text).groups[0].rules;
  if (back.length !== exprs.length || back.some((r, i) => r.expr !== exprs[i] || r.record !== names[i])) {
    throw new Error("rule file does not round-trip through YAML");
  }
  return text;
}

function promtool(args) {
  const r = spawnSync(PROMTOOL, args, { encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.error) fail(`cannot run ${PROMTOOL}: ${r.error.message}`);
  return r;
}

/** Runs `promtool check rules` on the expressions; returns Map(index -> detail) of failing rules. */
function check(exprs, names, dir, base) {
  const file = join(dir, `${base}.yml`);
  writeFileSync(file, ruleFile(exprs, names));
  const r = promtool(["check", "rules", file]);
  if (!r.stdout.startsWith(`Checking ${file}\n`)) throw new Error(`unexpected promtool stdout:\n${r.stdout}`);
  const failures = new Map();
  if (r.status === 0) {
    const m = /^ {2}SUCCESS: (\d+) rules found$/m.exec(r.stdout);
    if (!m || Number(m[1]) !== exprs.length || r.stderr !== "") {
      throw new Error(`promtool exited 0 without confirming ${exprs.length} rules:\n${r.stdout}${r.stderr}`);
    }
    return failures;
  }
  if (r.status !== 1 || !r.stderr.startsWith("  FAILED:\n")) throw new Error(`unexpected promtool result (${r.status}):\n${r.stderr}`);
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const header = new RegExp(`^${esc}: \\d+:\\d+: group "${GROUP}", rule (\\d+), "([^"\\n]*)": `, "gm");
  const body = r.stderr.slice("  FAILED:\n".length);
  const heads = [...body.matchAll(header)];
  if (heads.length === 0 || heads[0].index !== 0) throw new Error(`unrecognised promtool output:\n${r.stderr}`);
  heads.forEach((h, k) => {
    const end = k + 1 < heads.length ? heads[k + 1].index : body.length;
    const index = Number(h[1]) - 1;
    if (names[index] !== h[2]) throw new Error(`rule ${h[1]} reported as ${h[2]}, expected ${names[index]}`);
    if (failures.has(index)) throw new Error(`rule ${h[2]} reported twice`);
    failures.set(index, body.slice(h.index + h[0].length, end).replace(/\n$/, ""));
  });
  return failures;
}

function entry(expr, detail) {
  const m = /^could not parse expression: (\d+):(\d+): parse error: ([\s\S]*)$/.exec(detail);
  if (m) return { expr, valid: false, message: m[3], line: Number(m[1]), col: Number(m[2]) };
  return { expr, valid: false, message: detail };
}

function main() {
  const version = promtool(["--version"]);
  const versionLine = `${version.stdout}${version.stderr}`.split("\n")[0];
  if (!versionLine.startsWith(VERSION_PREFIX)) fail(`${TRUTH} needs promtool 2.42, got: ${versionLine}`);

  const exprs = readCorpus(readFileSync(join(ROOT, CORPUS), "utf8"));
  const names = exprs.map((_, i) => recordName(i));
  const dir = mkdtempSync(join(tmpdir(), "promql-truth-"));
  let failures;
  try {
    failures = check(exprs, names, dir, "corpus");
    // Cross-check: the expressions reported valid, alone in a file, must all pass.
    const validIdx = exprs.map((_, i) => i).filter((i) => !failures.has(i));
    const again = validIdx.length === 0 ? new Map() : check(validIdx.map((i) => exprs[i]), validIdx.map((i) => names[i]), dir, "valid");
    if (again.size !== 0) throw new Error(`expressions not reported in the full run fail alone: ${[...again.values()].join("; ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const entries = exprs.map((expr, i) => (failures.has(i) ? entry(expr, failures.get(i)) : { expr, valid: true }));
  const valid = entries.filter((e) => e.valid).length;
  const text =
    "{\n" +
    ` "promtool": ${JSON.stringify(versionLine)},\n` +
    ` "corpus": ${JSON.stringify(CORPUS)},\n` +
    ` "positions": "line:col of promtool's first parse error; both 1-based, col in bytes from the last newline",\n` +
    ` "counts": ${JSON.stringify({ total: entries.length, valid, invalid: entries.length - valid })},\n` +
    ` "entries": [\n` +
    entries.map((e) => `  ${JSON.stringify(e)}`).join(",\n") +
    "\n ]\n}\n";

  const target = join(ROOT, TRUTH);
  if (process.argv.includes("--check")) {
    const committed = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (committed === text) {
      console.log(`truth is current: ${entries.length} expressions, ${valid} valid (${versionLine})`);
      return;
    }
    const old = committed.split("\n");
    const now = text.split("\n");
    const diffs = [];
    for (let i = 0; i < Math.max(old.length, now.length) && diffs.length < 10; i++) {
      if (old[i] !== now[i]) diffs.push(`  line ${i + 1}:\n    committed: ${old[i] ?? "<none>"}\n    promtool:  ${now[i] ?? "<none>"}`);
    }
    console.error(`${TRUTH} is out of date; run: node scripts/promql-truth.mjs\n${diffs.join("\n")}`);
    process.exit(1);
  }
  writeFileSync(target, text);
  console.log(`wrote ${TRUTH}: ${entries.length} expressions, ${valid} valid, ${entries.length - valid} invalid (${versionLine})`);
}

// Run only when executed directly, so readCorpus can be imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
