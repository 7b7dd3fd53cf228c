// The database_id `wrangler-config --write` gives a new block, until the user sets the real one.
import { createHash } from "node:crypto";

/**
 * A placeholder id for a new block: recognisable (apply --remote refuses it) and distinct per binding, since
 * wrangler keys a local database by its id and one id for four shards would make them one database.
 */
export function placeholderDatabaseId(binding: string): string {
  return `${placeholderPrefix}${createHash("sha256").update(binding).digest("hex").slice(0, 12)}`;
}

const placeholderPrefix = "00000000-0000-4000-8000-";

export function isPlaceholderDatabaseId(id: string): boolean {
  return id.startsWith(placeholderPrefix);
}
