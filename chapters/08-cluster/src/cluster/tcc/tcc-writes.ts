/**
 * The writes a node can be asked to prepare for a cross-node transaction
 * (tcc-participant.ts), and what each one means: which keys it locks,
 * what PREPARE answers (the coordinator needs it to reply as the
 * single-node command would), and which ordinary command CONFIRM runs.
 *
 * A cross-node MSET, MSETNX, DEL, UNLINK or RENAME is cut into one of
 * these per node (cross-node-writes.ts):
 *
 *   MSET k v ...       confirm: MSET            answer: how many keys exist
 *   MSETNX k v ...     confirm: MSET            answer: how many keys exist
 *   DEL k ... / UNLINK k ...  confirm: the same  answer: how many keys exist
 *   GETDEL k           confirm: DEL k           answer: [value, deadline] or nil
 *   SET k v [PXAT ms]  confirm: the same        answer: how many keys exist
 *
 * MSETNX's check ("none of the keys exists") is made at PREPARE, on every
 * node, and holds until CONFIRM because the keys are locked in between:
 * CONFIRM can then simply set them. GETDEL and SET are the two halves of
 * a RENAME whose keys live on two nodes: the source node hands over the
 * value (a string; moving a list or a hash would need DUMP and RESTORE,
 * which this chapter does not have) and its deadline, the destination
 * node sets it.
 */
import { byteString, nameOf } from "../../dispatch/arguments.ts";
import { wrongNumberOfArguments } from "../../dispatch/command-table.ts";
import type { Database } from "../../keyspace/database.ts";
import { typeName } from "../../keyspace/keyspace.ts";
import { getString, isWrongType } from "../../commands/typed-lookup.ts";
import {
  array,
  bulk,
  error,
  integer,
  NULL,
  type Reply,
} from "../../protocol/reply.ts";

// #region prepared-write
/** One node's part of a cross-node write, as PREPARE received it. */
export interface PreparedWrite {
  /** "mset", "msetnx", "del", "unlink", "getdel" or "set". */
  readonly kind: string;
  /** The keys it locks until CONFIRM or CANCEL. */
  readonly keys: readonly string[];
  /** The ordinary command CONFIRM runs, through the command table. */
  readonly confirmWith: readonly Buffer[];
}
// #endregion prepared-write

const SYNTAX = error("ERR syntax error");

/**
 * Reads the write after `TCC PREPARE <txid> <primary> <lock-ms>`: its
 * words must be one of the forms above. An error reply if not.
 */
export function parseWrite(words: readonly Buffer[]): PreparedWrite | Reply {
  const kind = nameOf(words[0]!) ?? "";
  const rest = words.slice(1);
  switch (kind) {
    case "mset":
    case "msetnx":
      if (rest.length === 0 || rest.length % 2 !== 0) {
        return wrongNumberOfArguments(kind);
      }
      return {
        kind,
        keys: rest.filter((_, i) => i % 2 === 0).map(byteString),
        confirmWith: [Buffer.from("MSET"), ...rest],
      };
    case "del":
    case "unlink":
      if (rest.length === 0) return wrongNumberOfArguments(kind);
      return { kind, keys: rest.map(byteString), confirmWith: words };
    case "getdel":
      if (rest.length !== 1) return wrongNumberOfArguments(kind);
      return {
        kind,
        keys: [byteString(rest[0]!)],
        confirmWith: [Buffer.from("DEL"), rest[0]!],
      };
    case "set":
      // SET k v, or SET k v PXAT <ms>: the two forms a RENAME sends.
      if (rest.length !== 2 && rest.length !== 4) return SYNTAX;
      if (rest.length === 4 && nameOf(rest[2]!) !== "pxat") return SYNTAX;
      return { kind, keys: [byteString(rest[0]!)], confirmWith: words };
    default:
      return error(
        `ERR TCC cannot prepare '${byteString(words[0]!)}': only MSET, MSETNX, DEL, UNLINK, GETDEL and SET`,
      );
  }
}

// #region prepare-answer
/**
 * What PREPARE answers once the keys are locked: read now, and true at
 * CONFIRM, since nobody can change a locked key in between. An error
 * means the write cannot be prepared (the lock is not taken).
 */
export function prepareAnswer(write: PreparedWrite, db: Database): Reply {
  if (write.kind !== "getdel") {
    // A key named twice counts once, as in DEL.
    const keys = new Set(write.keys);
    return integer([...keys].filter((key) => db.has(key)).length);
  }
  const key = write.keys[0]!;
  const value = getString(db, key);
  if (value === undefined) return NULL;
  if (isWrongType(value)) {
    return error(
      `ERR cross-node RENAME moves strings only, and this key holds a ${typeName(db.get(key)!)}`,
    );
  }
  const deadline = db.deadline(key);
  return array([bulk(Buffer.from(value, "latin1")), integer(deadline ?? -1)]);
}
// #endregion prepare-answer
