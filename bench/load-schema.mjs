// The cost of loading schema files alone: tsx registered the way bin/d1-schema.js does it, then every
// schema/<folder>/*.ts imported in the order the loader uses, and nothing else. Prints how many tables it found.
//   node bench/load-schema.mjs <project>/schema
// tsx comes from the repository's own install (bench/node_modules has drizzle-kit's copy), as for the CLI.
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const { register } = await import(new URL("../node_modules/tsx/dist/esm/api/index.mjs", import.meta.url).href);
register();

const schemaDir = path.resolve(process.argv[2]);
let tables = 0;
const folders = readdirSync(schemaDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
  .map((entry) => entry.name)
  .sort();
for (const folder of folders) {
  const dir = path.join(schemaDir, folder);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .sort();
  await import(pathToFileURL(path.join(dir, "database.ts")).href);
  for (const file of files) {
    const exports = await import(pathToFileURL(path.join(dir, file)).href);
    for (const value of Object.values(exports)) if (value?.kind === "table") tables++;
  }
}
console.log(`${tables} tables`);
