#!/usr/bin/env node
// `npx d1-schema`: the CLI is TypeScript and loads TypeScript schema files, so it runs under tsx.
import { register } from "tsx/esm/api";

register();
await import("../generator/cli.ts");
