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
 *
 * The replies have the same tree in both protocols, with other types:
 * RESP3 sends COMMAND DOCS and each command's docs as maps (`%`), flags,
 * key specifications and an empty list of subcommands as sets (`~`), and
 * `_` for a command it does not know. Every edit keeps each aggregate's
 * type, so a reply in the wrong type still shows up as a difference.
 */
import { elementsOf, itemsOf } from "./exchange.ts";
import {
  NULL_BULK,
  nullReply,
  textOf,
  withItems,
  type Protocol,
  type RespReply,
} from "./resp.ts";

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

/** Is this a COMMAND INFO or a COMMAND DOCS request (with names or without)? */
export function introspectionKind(
  args: readonly Buffer[],
): "info" | "docs" | undefined {
  if (args[0]?.toString("latin1").toLowerCase() !== "command") return undefined;
  const sub = args[1]?.toString("latin1").toLowerCase();
  return sub === "info" || sub === "docs" ? sub : undefined;
}

/**
 * Applies `edit` to a whole COMMAND INFO or COMMAND DOCS reply, sent in
 * `protocol` (a COMMAND INFO entry left out becomes that protocol's null,
 * as for a command the server does not know).
 */
export function editIntrospection(
  reply: RespReply,
  kind: "info" | "docs",
  protocol: Protocol,
  edit: IntrospectionEdit,
): RespReply {
  const items = elementsOf(reply);
  if (items === undefined) return reply;
  if (kind === "info") {
    return withItems(
      reply,
      items.map((entry) => {
        const name = textOf(itemsOf(entry)?.[0] ?? NULL_BULK);
        if (name !== undefined && edit.keep?.(name) === false)
          return nullReply(protocol);
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
  return withItems(reply, edited);
}

function editInfoEntry(entry: RespReply, edit: IntrospectionEdit): RespReply {
  const fields = itemsOf(entry);
  if (fields === undefined || fields.length <= SUBCOMMANDS) return entry;
  let subcommands = (elementsOf(fields[SUBCOMMANDS]!) ?? [])
    .filter((sub) => edit.keep?.(nameOfEntry(sub)) !== false)
    .map((sub) => editInfoEntry(sub, edit));
  if (edit.sortSubcommands === true) {
    subcommands = [...subcommands].sort(byName(nameOfEntry));
  }
  const edited = [...fields];
  const keySpecs = fields[KEY_SPECS]!;
  if (edit.dropKeySpecs === true && elementsOf(keySpecs) !== undefined) {
    edited[KEY_SPECS] = withItems(keySpecs, []);
  }
  if (elementsOf(fields[SUBCOMMANDS]!) !== undefined) {
    edited[SUBCOMMANDS] = withItems(fields[SUBCOMMANDS]!, subcommands);
  }
  return withItems(entry, edited);
}

/** A docs map (or an argument's map, which has the same shape), edited throughout. */
function editDocs(docs: RespReply, edit: IntrospectionEdit): RespReply {
  const items = elementsOf(docs);
  if (items === undefined) return docs;
  const edited: RespReply[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const field = textOf(items[i]!);
    let value = items[i + 1]!;
    if (field === "key_spec_index" && edit.dropKeySpecs === true) continue;
    if (field === "arguments" && elementsOf(value) !== undefined) {
      value = withItems(
        value,
        elementsOf(value)!.map((arg) => editDocs(arg, edit)),
      );
    } else if (field === "subcommands" && elementsOf(value) !== undefined) {
      const subs = elementsOf(value)!;
      let pairs: [RespReply, RespReply][] = [];
      for (let j = 0; j + 1 < subs.length; j += 2) {
        if (edit.keep?.(textOf(subs[j]!) ?? "") === false) continue;
        pairs.push([subs[j]!, editDocs(subs[j + 1]!, edit)]);
      }
      if (edit.sortSubcommands === true) {
        pairs = pairs.sort(byName(([name]) => textOf(name) ?? ""));
      }
      value = withItems(value, pairs.flat());
    }
    edited.push(items[i]!, value);
  }
  return withItems(docs, edited);
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
  const items = elementsOf(reply);
  if (items === undefined) return reply;
  const edited: RespReply[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    let docs = items[i + 1]!;
    const fields = elementsOf(docs);
    if (textOf(items[i]!) === command && fields !== undefined) {
      const kept: RespReply[] = [];
      for (let j = 0; j + 1 < fields.length; j += 2) {
        let value = fields[j + 1]!;
        const args = elementsOf(value);
        if (textOf(fields[j]!) === "arguments" && args !== undefined) {
          value = withItems(
            value,
            args.filter((arg) => argumentName(arg) !== argument),
          );
        }
        kept.push(fields[j]!, value);
      }
      docs = withItems(docs, kept);
    }
    edited.push(items[i]!, docs);
  }
  return withItems(reply, edited);
}

/** The `name` field of an argument's docs map. */
function argumentName(arg: RespReply): string | undefined {
  const fields = elementsOf(arg) ?? [];
  for (let j = 0; j + 1 < fields.length; j += 2) {
    if (textOf(fields[j]!) === "name") return textOf(fields[j + 1]!);
  }
  return undefined;
}
