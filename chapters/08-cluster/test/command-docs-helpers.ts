/**
 * COMMAND DOCS as the suites compare it with Redis's: our commands send no
 * key specs, so Redis's `key_spec_index` fields are left out of its answer;
 * and the answer a suite expects, written from its fields.
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

/** What COMMAND DOCS says of one command, as a suite writes it down. */
export interface DocFields {
  summary: string;
  since: string;
  complexity: string;
  /** Since when the command is deprecated, and what replaces it. */
  deprecated?: [since: string, replacedBy: string] | undefined;
  /** `[version, what changed]` pairs. */
  history?: string[][] | undefined;
  arguments: unknown[];
}

/**
 * COMMAND DOCS's answer for a command of `group` ("set", "sorted-set"),
 * its fields in Redis's order, without the ones a command does not have.
 */
export function commandDocs(group: string, fields: DocFields): unknown[] {
  const { summary, since, complexity, deprecated, history } = fields;
  return [
    ...["summary", summary, "since", since, "group", group],
    ...["complexity", complexity],
    ...(deprecated === undefined
      ? []
      : [
          ...["doc_flags", ["deprecated"]],
          ...["deprecated_since", deprecated[0], "replaced_by", deprecated[1]],
        ]),
    ...(history === undefined ? [] : ["history", history]),
    ...["arguments", fields.arguments],
  ];
}
