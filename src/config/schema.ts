/** JSON Schema of the config file, typed against `VigilConfig` so the two cannot drift. */
import type { JSONSchemaType } from "ajv";
import type { ConfigPrometheusSettings, LintConfig, VigilConfig } from "./types.js";

const paths = { type: "array", items: { type: "string", minLength: 1 }, nullable: true } as const;

const prometheus: JSONSchemaType<ConfigPrometheusSettings> = {
  type: "object",
  additionalProperties: false,
  properties: { version: { type: "string", minLength: 1, nullable: true } },
};

const lint: JSONSchemaType<LintConfig> = {
  type: "object",
  additionalProperties: false,
  properties: {
    rules: {
      type: "object",
      additionalProperties: { type: "string", enum: ["error", "warning", "info", "off"] },
      required: [],
      nullable: true,
    },
    severities: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true },
    files: paths,
  },
};

export const vigilConfigSchema: JSONSchemaType<VigilConfig> = {
  type: "object",
  additionalProperties: false,
  properties: {
    specs: paths,
    out: { type: "string", minLength: 1, nullable: true },
    prometheus: { ...prometheus, nullable: true },
    lint: { ...lint, nullable: true },
    targets: { type: "array", items: { type: "string", enum: ["files", "kubernetes", "ruler"] }, uniqueItems: true, nullable: true },
  },
};
