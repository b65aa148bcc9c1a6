/**
 * Which chapters exist, and how a name typed by a person (`4`, `04`,
 * `04-expiry`, `expiry`) maps to one. Every script, the test configuration
 * and the site read the chapter list from here, so adding a chapter folder is
 * all it takes to make it runnable, testable and listed.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CHAPTERS_DIR = join(REPO_ROOT, "chapters");
/** Where `npm run exercise` puts the learner's own copies. Git-ignored. */
export const EXERCISES_DIR = join(REPO_ROOT, "exercises");

/** The whole book, written or not: the site's sidebar follows it. */
export const CHAPTER_PLAN = [
  { id: "01-tcp-echo", title: "A TCP echo server" },
  { id: "02-resp-parser", title: "Speaking RESP" },
  { id: "03-memory-db", title: "The keyspace" },
  { id: "04-expiry", title: "Keys that expire" },
  { id: "05-aof", title: "Durability with an append-only file" },
  { id: "06-data-types", title: "Lists, hashes, sets and sorted sets" },
  { id: "07-transactions", title: "Transactions" },
  { id: "08-cluster", title: "Cluster" },
] as const;

export interface Chapter {
  /** The folder name, e.g. `04-expiry`. Also the vitest project name. */
  id: string;
  /** 4 for `04-expiry`. */
  number: number;
  /** Absolute path of the chapter folder. */
  dir: string;
}

const CHAPTER_FOLDER = /^(\d\d)-[a-z0-9-]+$/;

/** The chapters that exist on disk, in order. */
export function listChapters(chaptersDir: string = CHAPTERS_DIR): Chapter[] {
  if (!existsSync(chaptersDir)) return [];
  return readdirSync(chaptersDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && CHAPTER_FOLDER.test(entry.name))
    .map((entry) => ({
      id: entry.name,
      number: Number(entry.name.slice(0, 2)),
      dir: join(chaptersDir, entry.name),
    }))
    .sort((a, b) => a.number - b.number);
}

/** `4`, `04`, `04-expiry` and `expiry` all name chapter 04. */
export function resolveChapter<T extends { id: string; number: number }>(
  name: string,
  chapters: readonly T[],
): T | undefined {
  const wanted = name.trim().toLowerCase();
  if (/^\d{1,2}$/.test(wanted)) {
    return chapters.find((c) => c.number === Number(wanted));
  }
  return chapters.find((c) => c.id === wanted || c.id.slice(3) === wanted);
}

/** Why `name` names no chapter on disk: a planned one, or no chapter at all. */
export function whyNoChapter(name: string): string {
  const planned = resolveChapter(
    name,
    CHAPTER_PLAN.map(({ id }) => ({ id, number: Number(id.slice(0, 2)) })),
  );
  return planned === undefined
    ? `No chapter '${name}'.`
    : `Chapter ${planned.id} is planned but not written yet.`;
}

/** The chapter a learner starts from when doing `chapter`'s exercise. */
export function previousChapter(
  chapter: Chapter,
  chapters: readonly Chapter[],
): Chapter | undefined {
  return chapters.filter((c) => c.number < chapter.number).at(-1);
}

/**
 * Chapter 01 is an echo server: its suite talks raw bytes to an echo, which
 * no Redis answers. From chapter 02 on, every black-box suite also holds for
 * a real Redis server (apart from labelled differences).
 */
export function speaksRedis(chapter: Chapter): boolean {
  return chapter.number >= 2;
}
