/** Paths into a spec (or config) document, as diagnostics carry and messages print them. */
export type DocumentPath = readonly (string | number)[];

/** `alerts[1].expr`, `groups[0].rules[2]`; "" for the document itself. */
export function formatPath(path: DocumentPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
}

/** A JSON Pointer (`/alerts/1/expr`, as ajv reports) as a path; numeric segments are indices. */
export function pathFromPointer(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
