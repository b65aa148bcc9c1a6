/**
 * The commands reference page's content, worked out from the chapters' own
 * command tables: which commands each chapter adds, with their arity, flags
 * and summary. Nothing here is typed by hand, so the page cannot drift from
 * the code; `commands.data.ts` runs this at build time.
 *
 * It reads each chapter only through the `COMMANDS` export of its
 * `src/server.ts` (a CommandTable, whose `all()` lists the top-level specs,
 * each holding its subcommands). The spec types differ a little from one
 * chapter to the next, so this file describes only the fields it reads.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CHAPTER_PLAN,
  CHAPTERS_DIR,
  REPO_ROOT,
} from "../../shared/chapters.ts";

/** The parts of a chapter's `ArgumentDoc` the syntax line is made of. */
export interface ArgumentLike {
  readonly name: string;
  readonly type: string;
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly arguments?: readonly ArgumentLike[];
}

/** The parts of a chapter's `CommandSpec` the page shows. */
export interface SpecLike {
  /** Lower case; a subcommand is "container|sub". */
  readonly name: string;
  readonly arity: number;
  readonly flags: readonly string[];
  readonly docs: {
    readonly summary: string;
    readonly group: string;
    readonly arguments?: readonly ArgumentLike[];
  };
  readonly subcommands?: readonly SpecLike[];
}

/** One chapter's command table, as listed by `COMMANDS.all()`. */
export interface ChapterTable {
  /** `03-memory-db` */
  id: string;
  commands: readonly SpecLike[];
}

/** One line of a chapter's table on the page. */
export interface CommandRow {
  /** As a client types it: `GET`, `CONFIG GET`. */
  name: string;
  /** 1 for a subcommand, listed under its container. */
  depth: 0 | 1;
  /** The arguments, in Redis's documentation notation: `key [key ...]`. */
  syntax: string;
  /** Redis's rule, the command's name counted: `2` exactly two words, `-2` at least two. */
  arity: number;
  flags: string[];
  summary: string;
  /**
   * Why the row is in this chapter's table although the command is older:
   * a container listed for its new subcommands, or a command whose arity,
   * flags or arguments changed. Empty for a command new in this chapter.
   */
  note: string;
}

/** What one chapter of the plan brings to the command set. */
export interface ChapterSection {
  id: string;
  /** `03 · The keyspace` */
  heading: string;
  /** The article's path, or null while it is not written. */
  link: string | null;
  /** False for a chapter that is only planned, or has no command table (01). */
  hasTable: boolean;
  /** Commands the chapter's server knows, subcommands counted. */
  total: number;
  /** Commands and subcommands new in this chapter. */
  added: number;
  rows: CommandRow[];
}

/** `config|get` → `CONFIG GET` */
export function displayName(name: string): string {
  return name.split("|").join(" ").toUpperCase();
}

/**
 * An argument in the notation of Redis's documentation: optional parts in
 * brackets, a required choice in angle brackets, a repeatable part written
 * once more in brackets with an ellipsis.
 */
function argumentSyntax(arg: ArgumentLike): string {
  let text: string;
  if (arg.type === "pure-token") {
    text = arg.token ?? arg.name.toUpperCase();
  } else if (arg.type === "block" || arg.type === "oneof") {
    const parts = (arg.arguments ?? []).map(argumentSyntax);
    text = parts.join(arg.type === "oneof" ? " | " : " ");
    if (arg.token !== undefined) text = `${arg.token} ${text}`;
  } else {
    text = arg.token === undefined ? arg.name : `${arg.token} ${arg.name}`;
  }
  if (arg.multiple) text = `${text} [${text} ...]`;
  if (arg.optional) return `[${text}]`;
  return arg.type === "oneof" ? `<${text}>` : text;
}

/** `SET key value [NX | XX] [GET] ...`: the name, then each argument. */
export function syntaxOf(spec: SpecLike): string {
  const args = (spec.docs.arguments ?? []).map(argumentSyntax);
  return [displayName(spec.name), ...args].join(" ");
}

/**
 * What changed in a command between two chapters, among what the page shows
 * of it: `"arguments and flags"`, or "" if nothing did.
 */
function changes(before: SpecLike, after: SpecLike): string {
  const changed: string[] = [];
  if (before.arity !== after.arity) changed.push("arity");
  if (syntaxOf(before) !== syntaxOf(after)) changed.push("arguments");
  if (before.flags.join(" ") !== after.flags.join(" ")) changed.push("flags");
  return changed.length === 0
    ? ""
    : `${changed.slice(0, -1).join(", ")}${changed.length > 1 ? " and " : ""}${changed.at(-1)!}`;
}

function row(spec: SpecLike, depth: 0 | 1, note: string): CommandRow {
  return {
    name: displayName(spec.name),
    depth,
    syntax: syntaxOf(spec),
    arity: spec.arity,
    flags: [...spec.flags],
    summary: spec.docs.summary,
    note,
  };
}

/** A chapter's commands by name, subcommands included: what the next chapter is compared with. */
function byName(commands: readonly SpecLike[]): Map<string, SpecLike> {
  const all = new Map<string, SpecLike>();
  for (const spec of commands) {
    all.set(spec.name, spec);
    for (const sub of spec.subcommands ?? []) all.set(sub.name, sub);
  }
  return all;
}

/** "02-resp-parser" → "02" */
function numberOf(id: string): string {
  return id.slice(0, 2);
}

/**
 * The rows of one chapter's table: each command new in the chapter, with
 * its subcommands beneath it; each older container that gained a
 * subcommand, with only the new ones; each older command that changed.
 * In the order of the chapter's own table, which groups commands as
 * Redis's documentation does.
 */
function rowsOf(
  table: ChapterTable,
  before: ReadonlyMap<string, SpecLike>,
  firstSeen: ReadonlyMap<string, string>,
): CommandRow[] {
  const noteFor = (spec: SpecLike): string | undefined => {
    const previous = before.get(spec.name);
    if (previous === undefined) return "";
    const changed = changes(previous, spec);
    // Unchanged: not in this chapter's table.
    return changed === "" ? undefined : `${changed} changed in this chapter`;
  };
  const rows: CommandRow[] = [];
  for (const spec of table.commands) {
    const subRows = (spec.subcommands ?? []).flatMap((sub) => {
      const note = noteFor(sub);
      return note === undefined ? [] : [row(sub, 1, note)];
    });
    const note = noteFor(spec);
    if (note === undefined && subRows.length === 0) continue;
    const since = firstSeen.get(spec.name);
    rows.push(
      row(
        spec,
        0,
        note ??
          `from chapter ${since === undefined ? "?" : numberOf(since)}, for its new subcommands`,
      ),
    );
    rows.push(...subRows);
  }
  return rows;
}

/**
 * One section per chapter of the plan, in order, from the command tables of
 * the chapters that have one. `written` says which articles exist, for links.
 */
export function commandReference(
  tables: readonly ChapterTable[],
  written: (id: string) => boolean,
): ChapterSection[] {
  const tableOf = new Map(tables.map((table) => [table.id, table]));
  const firstSeen = new Map<string, string>();
  let before = new Map<string, SpecLike>();
  return CHAPTER_PLAN.map(({ id, title }) => {
    const table = tableOf.get(id);
    const section: ChapterSection = {
      id,
      heading: `${numberOf(id)} · ${title}`,
      link: written(id) ? `/chapters/${id}` : null,
      hasTable: table !== undefined,
      total: 0,
      added: 0,
      rows: [],
    };
    if (table === undefined) return section;
    const now = byName(table.commands);
    section.rows = rowsOf(table, before, firstSeen);
    section.total = now.size;
    section.added = [...now.keys()].filter((name) => !before.has(name)).length;
    for (const name of now.keys())
      if (!firstSeen.has(name)) firstSeen.set(name, id);
    before = now;
    return section;
  });
}

/** A chapter's `src/server.ts`, if it has one. */
function serverFile(id: string): string | undefined {
  const file = join(CHAPTERS_DIR, id, "src", "server.ts");
  return existsSync(file) ? file : undefined;
}

/** True if `value` has the `all()` of a CommandTable. */
function isCommandTable(
  value: unknown,
): value is { all(): readonly SpecLike[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    "all" in value &&
    typeof value.all === "function"
  );
}

/**
 * The command table of every chapter that exports one, in the plan's
 * order. `importModule` loads a TypeScript file by URL: vitest can import
 * one directly, the site's data loader goes through tsx. Chapter 01, an
 * echo server, has no table, and is left out; a chapter whose server.ts
 * exports no `COMMANDS` is an error, since the page would silently lose it.
 */
export async function loadChapterTables(
  importModule: (url: string) => Promise<unknown>,
): Promise<ChapterTable[]> {
  const tables: ChapterTable[] = [];
  for (const { id } of CHAPTER_PLAN) {
    const file = serverFile(id);
    if (file === undefined) continue;
    const module = await importModule(pathToFileURL(file).href);
    const commands =
      typeof module === "object" && module !== null && "COMMANDS" in module
        ? module.COMMANDS
        : undefined;
    if (commands === undefined && id === "01-tcp-echo") continue;
    if (!isCommandTable(commands)) {
      throw new Error(
        `${file} exports no COMMANDS table for the commands reference`,
      );
    }
    tables.push({ id, commands: commands.all() });
  }
  return tables;
}

/** True once `site/chapters/<id>.md` exists. */
export function articleWritten(id: string): boolean {
  return existsSync(join(REPO_ROOT, "site", "chapters", `${id}.md`));
}
