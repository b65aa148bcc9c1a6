/**
 * COMMAND DOCS as the suites compare it with Redis's: our commands send no
 * key specs, so Redis's `key_spec_index` fields are left out of its answer.
 */
import type { Redis } from "ioredis";

/** COMMAND DOCS of one command, without Redis's key_spec_index fields. */
export async function docsWithoutKeySpecs(
  redis: Redis,
  name: string,
): Promise<unknown> {
  const [, docs] = (await redis.call("COMMAND", "DOCS", name)) as [
    string,
    unknown[],
  ];
  return withoutKeySpecs(docs);
}

function withoutKeySpecs(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const at = value.indexOf("key_spec_index");
  const kept =
    at !== -1 && at % 2 === 0
      ? [...value.slice(0, at), ...value.slice(at + 2)]
      : value;
  return kept.map(withoutKeySpecs);
}
