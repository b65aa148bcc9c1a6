/**
 * Edits of COMMAND INFO and COMMAND DOCS replies, for the comparisons.
 *
 * These two replies carry three things at once that must be told apart:
 * an order that is random by nature (Redis keeps a container's
 * subcommands in a hash table seeded at random, so CONFIG's come in a
 * different order from one redis-server to the next), and two deliberate
 * differences (the chapters have fewer subcommands than Redis, and leave
 * key specifications out). Each edit below removes one of them and
 * nothing else, so that what is left is still compared byte for byte.
 */
import { itemsOf } from "./exchange.ts";
import { arrayOf, NULL_BULK, textOf, type RespReply } from "./resp.ts";

/** What to change in a reply. */
export interface IntrospectionEdit {
  /** Sort each container's subcommands by name. */
  readonly sortSubcommands?: boolean;
  /** Empty the key specifications (INFO's ninth field, DOCS' key_spec_index). */
  readonly dropKeySpecs?: boolean;
  /** Keep only the subcommands (and top-level entries) this accepts. */
  readonly keep?: (name: string) => boolean;
}

/** Position of key specifications and of subcommands in a COMMAND INFO entry. */
const KEY_SPECS = 8;
const SUBCOMMANDS = 9;
const EMPTY_ARRAY = arrayOf([]);

/** Is this a COMMAND INFO or a COMMAND DOCS request (with names or without)? */
export function introspectionKind(
  args: readonly Buffer[],
): "info" | "docs" | undefined {
  if (args[0]?.toString("latin1").toLowerCase() !== "command") return undefined;
  const sub = args[1]?.toString("latin1").toLowerCase();
  return sub === "info" || sub === "docs" ? sub : undefined;
}

/** Applies `edit` to a whole COMMAND INFO or COMMAND DOCS reply. */
export function editIntrospection(
  reply: RespReply,
  kind: "info" | "docs",
  edit: IntrospectionEdit,
): RespReply {
  const items = itemsOf(reply);
  if (items === undefined) return reply;
  if (kind === "info") {
    return arrayOf(
      items.map((entry) => {
        const name = textOf(itemsOf(entry)?.[0] ?? NULL_BULK);
        if (name !== undefined && edit.keep?.(name) === false) return NULL_BULK;
        return editInfoEntry(entry, edit);
      }),
    );
  }
  const edited: RespReply[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = textOf(items[i]!) ?? "";
    if (edit.keep?.(name) === false) continue;
    edited.push(items[i]!, editDocs(items[i + 1]!, edit));
  }
  return arrayOf(edited);
}

function editInfoEntry(entry: RespReply, edit: IntrospectionEdit): RespReply {
  const fields = itemsOf(entry);
  if (fields === undefined || fields.length <= SUBCOMMANDS) return entry;
  let subcommands = (itemsOf(fields[SUBCOMMANDS]!) ?? [])
    .filter((sub) => edit.keep?.(nameOfEntry(sub)) !== false)
    .map((sub) => editInfoEntry(sub, edit));
  if (edit.sortSubcommands === true) {
    subcommands = [...subcommands].sort(byName(nameOfEntry));
  }
  const edited = [...fields];
  if (edit.dropKeySpecs === true) edited[KEY_SPECS] = EMPTY_ARRAY;
  edited[SUBCOMMANDS] = arrayOf(subcommands);
  return arrayOf(edited);
}

/** A docs map (or an argument's map, which has the same shape), edited throughout. */
function editDocs(docs: RespReply, edit: IntrospectionEdit): RespReply {
  const items = itemsOf(docs);
  if (items === undefined) return docs;
  const edited: RespReply[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const field = textOf(items[i]!);
    let value = items[i + 1]!;
    if (field === "key_spec_index" && edit.dropKeySpecs === true) continue;
    if (field === "arguments") {
      value = arrayOf((itemsOf(value) ?? []).map((arg) => editDocs(arg, edit)));
    } else if (field === "subcommands") {
      const subs = itemsOf(value) ?? [];
      let pairs: [RespReply, RespReply][] = [];
      for (let j = 0; j + 1 < subs.length; j += 2) {
        if (edit.keep?.(textOf(subs[j]!) ?? "") === false) continue;
        pairs.push([subs[j]!, editDocs(subs[j + 1]!, edit)]);
      }
      if (edit.sortSubcommands === true) {
        pairs = pairs.sort(byName(([name]) => textOf(name) ?? ""));
      }
      value = arrayOf(pairs.flat());
    }
    edited.push(items[i]!, value);
  }
  return arrayOf(edited);
}

function nameOfEntry(entry: RespReply): string {
  return textOf(itemsOf(entry)?.[0] ?? NULL_BULK) ?? "";
}

function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/**
 * A COMMAND DOCS reply without the argument named `argument` of command
 * `command` (at the top level of its arguments): for an option block a
 * chapter does not have yet.
 */
export function withoutArgument(
  reply: RespReply,
  command: string,
  argument: string,
): RespReply {
  const items = itemsOf(reply);
  if (items === undefined) return reply;
  const edited: RespReply[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    let docs = items[i + 1]!;
    const fields = itemsOf(docs);
    if (textOf(items[i]!) === command && fields !== undefined) {
      const kept: RespReply[] = [];
      for (let j = 0; j + 1 < fields.length; j += 2) {
        let value = fields[j + 1]!;
        if (textOf(fields[j]!) === "arguments") {
          value = arrayOf(
            (itemsOf(value) ?? []).filter(
              (arg) => argumentName(arg) !== argument,
            ),
          );
        }
        kept.push(fields[j]!, value);
      }
      docs = arrayOf(kept);
    }
    edited.push(items[i]!, docs);
  }
  return arrayOf(edited);
}

/** The `name` field of an argument's docs map. */
function argumentName(arg: RespReply): string | undefined {
  const fields = itemsOf(arg) ?? [];
  for (let j = 0; j + 1 < fields.length; j += 2) {
    if (textOf(fields[j]!) === "name") return textOf(fields[j + 1]!);
  }
  return undefined;
}
