/** JSON Schema of the config file, typed against `VigilConfig` so the two cannot drift. */
import type { JSONSchemaType } from "ajv";
import type { ConfigPrometheusSettings, DeployConfig, DeployServerConfig, LintConfig, VigilConfig } from "./types.js";

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

const deployServer: JSONSchemaType<DeployServerConfig> = {
  type: "object",
  additionalProperties: false,
  required: ["dir", "url"],
  properties: { dir: { type: "string", minLength: 1 }, url: { type: "string", pattern: "^https?://", minLength: 8 } },
};

const deploy: JSONSchemaType<DeployConfig> = {
  type: "object",
  additionalProperties: false,
  properties: { prometheus: { ...deployServer, nullable: true }, alertmanager: { ...deployServer, nullable: true } },
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
    deploy: { ...deploy, nullable: true },
  },
};
