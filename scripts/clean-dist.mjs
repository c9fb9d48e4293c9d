#!/usr/bin/env node
// Removes dist/ before a build, so the package never ships files of a module that no longer
// exists (or source maps of an earlier build).
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

rmSync(resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist"), { recursive: true, force: true });
