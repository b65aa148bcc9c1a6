/**
 * One value in Redis 7.0's RDB encoding: its type byte, then the value,
 * each kind in the encoding Redis 7.0 picks for the same OBJECT ENCODING
 * (`rdbSaveObjectType` and `rdbSaveObject`). For a string, an intset, a
 * listpack hash or sorted set, a list and a skiplist sorted set, the bytes
 * are the very bytes Redis writes for the same value. A hash table's
 * members come in our table's order, which is not Redis's (Redis's own
 * order depends on a random seed per process): the same members, in
 * another order.
 */
import type { RedisValue } from "../keyspace/keyspace.ts";
import { Quicklist } from "../types/quicklist.ts";
import { RedisHash } from "../types/hash.ts";
import { RedisSet } from "../types/set.ts";
import type { RedisSortedSet } from "../types/sorted-set.ts";
import { formatDouble } from "../protocol/double-text.ts";
import { encodeIntset } from "./intset-blob.ts";
import { encodeListpack } from "./listpack.ts";
import { QuicklistContainer, RdbType } from "./rdb-format.ts";
import type { RdbWriter } from "./rdb-writer.ts";

// #region write-value
/** Writes `value`'s type byte and its encoding. */
export function writeValue(writer: RdbWriter, value: RedisValue): void {
  if (typeof value === "string") {
    writer.writeByte(RdbType.string);
    writer.writeString(value);
  } else if (value.type === "string") {
    writer.writeByte(RdbType.string);
    writer.writeString(value.bytes());
  } else if (value instanceof Quicklist) {
    writeList(writer, value);
  } else if (value instanceof RedisSet) {
    writeSet(writer, value);
  } else if (value instanceof RedisHash) {
    writeHash(writer, value);
  } else {
    writeSortedSet(writer, value);
  }
}
// #endregion write-value

// #region write-list
/**
 * A list as QUICKLIST_2: its node count, then each node as a "packed"
 * container and its listpack, as a string (so a long node is LZF
 * compressed, as Redis compresses it).
 */
function writeList(writer: RdbWriter, list: Quicklist): void {
  writer.writeByte(RdbType.quicklist2);
  const sizes = list.nodeSizes();
  writer.writeLength(sizes.length);
  const elements = list.entries();
  for (const { entries } of sizes) {
    const values: string[] = [];
    for (let i = 0; i < entries; i++) values.push(elements.next().value![1]);
    writer.writeLength(QuicklistContainer.packed);
    writer.writeString(encodeListpack(values));
  }
}
// #endregion write-list

/** A set: an intset's bytes (type 11), or each member (type 2). */
function writeSet(writer: RdbWriter, set: RedisSet): void {
  const width = set.intsetWidth;
  if (width !== undefined) {
    writer.writeByte(RdbType.intset);
    const members = [...set.members()].map((member) => BigInt(member));
    writer.writeString(encodeIntset(members, width / 8));
    return;
  }
  writer.writeByte(RdbType.set);
  writer.writeLength(set.size);
  for (const member of set.members()) writer.writeString(member);
}

/** A hash: a listpack of field, value, field, value... or each pair. */
function writeHash(writer: RdbWriter, hash: RedisHash): void {
  if (hash.encoding === "listpack") {
    writer.writeByte(RdbType.hashListpack);
    writer.writeString(encodeListpack([...hash.entries()].flat()));
    return;
  }
  writer.writeByte(RdbType.hash);
  writer.writeLength(hash.size);
  for (const [field, value] of hash.entries()) {
    writer.writeString(field);
    writer.writeString(value);
  }
}

// #region write-zset
/**
 * A sorted set. Small: a listpack of member, score, member, score...,
 * lowest first, each score as Redis's listpack keeps it, as text (an
 * integer is then stored as one). Large: ZSET_2, highest first, each
 * score as a binary double (Redis walks its skiplist from the tail, so
 * that loading inserts each member at the front).
 */
function writeSortedSet(writer: RdbWriter, zset: RedisSortedSet): void {
  if (zset.encoding === "listpack") {
    writer.writeByte(RdbType.zsetListpack);
    const items: string[] = [];
    for (const [member, score] of zset.entries()) {
      items.push(member, formatDouble(score));
    }
    writer.writeString(encodeListpack(items));
    return;
  }
  writer.writeByte(RdbType.zset2);
  const entries = [...zset.entries()].reverse();
  writer.writeLength(entries.length);
  for (const [member, score] of entries) {
    writer.writeString(member);
    writer.writeBinaryDouble(score);
  }
}
// #endregion write-zset
