/**
 * Helpers for the ioredis suites of this chapter: unique key names, so
 * tests never share data, and the text of an error reply.
 */
import { randomBytes } from "node:crypto";
import { errorText } from "../../../shared/replies.ts";

/** Key names no other test uses: `key("a")` is "<random prefix>:a". */
export function keysForThisTest(): (name: string) => string {
  const prefix = randomBytes(8).toString("hex");
  return (name) => `${prefix}:${name}`;
}

/**
 * The full text of the error a command was answered with ("ERR ..."), to
 * compare with Redis's exactly (without the command that the harness's
 * clients add to their errors); fails if the command succeeded.
 */
export async function errorOf(reply: Promise<unknown>): Promise<string> {
  try {
    await reply;
  } catch (error) {
    return errorText(error);
  }
  throw new Error("expected an error reply, but the command succeeded");
}
