export { formatSelector, quoteString } from "../promql/format.js";
