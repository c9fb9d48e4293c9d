export * from "./diagnostic.js";
export * from "./codes.js";
export { makeDiagnostic } from "./make.js";
export { formatPath, pathFromPointer, type DocumentPath } from "./path.js";
