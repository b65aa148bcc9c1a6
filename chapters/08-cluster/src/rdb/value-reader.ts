/**
 * One value read back from Redis's RDB encoding, as RESTORE reads it
 * (`rdbLoadObject`): every type Redis 7.0 writes, and the older ones it
 * still reads (ziplists), except zipmap and the plain ziplist list, from
 * before Redis 3.2, and streams and modules, which we do not have. The
 * value is rebuilt in our own structures, in the encoding Redis would
 * give it after loading: a small sorted set sent as a skiplist comes back
 * as a listpack, a listpack hash with too many fields as a hash table.
 *
 * Anything that breaks the format throws an RdbFormatError: a duplicate
 * member, a NaN score, an empty collection (Redis refuses to load empty
 * keys), an unknown type.
 */
import type { RedisValue } from "../keyspace/keyspace.ts";
import type { EncodingSettings } from "../config/encoding-directives.ts";
import { Quicklist } from "../types/quicklist.ts";
import { RedisHash } from "../types/hash.ts";
import { RedisSet } from "../types/set.ts";
import { Intset } from "../types/intset.ts";
import { RedisSortedSet } from "../types/sorted-set.ts";
import { decodeIntset } from "./intset-blob.ts";
import { decodeListpack } from "./listpack.ts";
import { decodeZiplist } from "./ziplist.ts";
import { QuicklistContainer, RdbFormatError, RdbType } from "./rdb-format.ts";
import type { RdbReader } from "./rdb-reader.ts";

/** Limits that never convert: what a value is loaded under before its own check. */
const UNLIMITED = {
  hashMaxListpackEntries: Infinity,
  hashMaxListpackValue: Infinity,
  zsetMaxListpackEntries: Infinity,
  zsetMaxListpackValue: Infinity,
};

function fail(why: string): never {
  throw new RdbFormatError(why);
}

// #region read-value
/** Reads a type byte and the value after it, under the server's encoding settings. */
export function readValue(
  reader: RdbReader,
  settings: EncodingSettings,
): RedisValue {
  const type = reader.readByte();
  switch (type) {
    case RdbType.string:
      return reader.readString();
    case RdbType.list:
      return readPlainList(reader, settings);
    case RdbType.quicklist2:
    case RdbType.quicklist:
      return readQuicklist(reader, settings, type === RdbType.quicklist2);
    case RdbType.set:
      return readSet(reader, settings);
    case RdbType.intset:
      return readIntset(reader, settings);
    case RdbType.hash:
      return readHash(reader, settings);
    case RdbType.hashListpack:
    case RdbType.hashZiplist:
      return readPackedHash(reader, settings, type === RdbType.hashListpack);
    case RdbType.zset:
    case RdbType.zset2:
      return readSortedSet(reader, settings, type === RdbType.zset2);
    case RdbType.zsetListpack:
    case RdbType.zsetZiplist:
      return readPackedSortedSet(
        reader,
        settings,
        type === RdbType.zsetListpack,
      );
  }
  return fail(`unsupported value type ${type}`);
}
// #endregion read-value

// #region read-list
/** The old list type: its elements one by one, pushed as LPUSH would. */
function readPlainList(
  reader: RdbReader,
  settings: EncodingSettings,
): Quicklist {
  const count = reader.readCount(1);
  const list = new Quicklist(settings.listMaxListpackSize);
  for (let i = 0; i < count; i++) list.pushTail(reader.readString());
  if (list.length === 0) fail("empty list");
  return list;
}

/**
 * QUICKLIST_2: its nodes, kept as they come (Redis appends each
 * listpack whole). A "plain" node is one big element, as it is. Empty
 * listpacks are skipped, as Redis skips them; an empty list is refused.
 * The older QUICKLIST has no container field, and ziplists for nodes.
 */
function readQuicklist(
  reader: RdbReader,
  settings: EncodingSettings,
  listpacks: boolean,
): Quicklist {
  const nodes = reader.readCount(listpacks ? 2 : 1);
  const list = new Quicklist(settings.listMaxListpackSize);
  for (let i = 0; i < nodes; i++) {
    const container = listpacks
      ? reader.readLength()
      : QuicklistContainer.packed;
    const data = reader.readStringBytes();
    if (data.length === 0) fail("empty quicklist node");
    if (container === QuicklistContainer.plain) {
      list.appendNode([data.toString("latin1")]);
    } else if (container === QuicklistContainer.packed) {
      const values = listpacks ? decodeListpack(data) : decodeZiplist(data);
      if (values.length > 0) list.appendNode(values);
    } else {
      fail("unknown quicklist container");
    }
  }
  if (list.length === 0) fail("empty list");
  return list;
}
// #endregion read-list

// #region read-set
/** A set, member by member: an intset while they allow it, as SADD builds it. */
function readSet(reader: RdbReader, settings: EncodingSettings): RedisSet {
  const count = reader.readCount(1);
  if (count === 0) fail("empty set");
  const set = new RedisSet();
  for (let i = 0; i < count; i++) {
    if (!set.add(reader.readString(), settings.setMaxIntsetEntries)) {
      fail("duplicate set member");
    }
  }
  return set;
}

/**
 * An intset's bytes, kept at their width; a hash table if it holds more
 * members than the limit allows.
 */
function readIntset(reader: RdbReader, settings: EncodingSettings): RedisSet {
  const { members, width } = decodeIntset(reader.readStringBytes());
  if (members.length <= settings.setMaxIntsetEntries) {
    return RedisSet.fromIntset(Intset.of(members, width));
  }
  const set = new RedisSet();
  for (const member of members) {
    set.add(String(member), settings.setMaxIntsetEntries);
  }
  return set;
}
// #endregion read-set

/** A string holding a listpack, or a ziplist, unpacked. */
function unpack(reader: RdbReader, listpack: boolean): string[] {
  const bytes = reader.readStringBytes();
  return listpack ? decodeListpack(bytes) : decodeZiplist(bytes);
}

// #region read-hash
/**
 * A hash, pair by pair: a hash table from the start if it has more
 * fields than a listpack may hold, else a listpack until a field or
 * value is too long for one (Redis's order of checks, and HSET's).
 */
function readHash(reader: RdbReader, settings: EncodingSettings): RedisHash {
  const count = reader.readCount(2);
  if (count === 0) fail("empty hash");
  const hash = new RedisHash();
  if (count > settings.hashMaxListpackEntries) hash.convertToHashtable();
  for (let i = 0; i < count; i++) {
    const field = reader.readString();
    const value = reader.readString();
    if (!hash.set(field, value, settings)) fail("duplicate hash field");
  }
  return hash;
}

/**
 * A listpack (or an old ziplist) of field, value...; a hash table if it
 * has too many fields.
 */
function readPackedHash(
  reader: RdbReader,
  settings: EncodingSettings,
  listpack: boolean,
): RedisHash {
  const items = unpack(reader, listpack);
  if (items.length === 0) fail("empty hash");
  if (items.length % 2 !== 0) fail("hash listpack with an odd count");
  const hash = new RedisHash();
  for (let i = 0; i < items.length; i += 2) {
    if (!hash.set(items[i]!, items[i + 1]!, UNLIMITED)) {
      fail("duplicate hash field");
    }
  }
  if (hash.size > settings.hashMaxListpackEntries) hash.convertToHashtable();
  return hash;
}
// #endregion read-hash

// #region read-zset
/**
 * A sorted set, member by member, highest first as Redis writes it, with
 * binary scores (ZSET_2) or text ones (the old ZSET). Built as a skiplist,
 * then packed if it is small enough, as Redis does after loading it.
 */
function readSortedSet(
  reader: RdbReader,
  settings: EncodingSettings,
  binaryScores: boolean,
): RedisSortedSet {
  const count = reader.readCount(binaryScores ? 9 : 2);
  if (count === 0) fail("empty sorted set");
  const zset = new RedisSortedSet("skiplist");
  for (let i = 0; i < count; i++) {
    const member = reader.readString();
    const score = binaryScores
      ? reader.readBinaryDouble()
      : reader.readTextDouble();
    if (Number.isNaN(score)) fail("NaN score");
    if (!zset.add(member, score, UNLIMITED)) fail("duplicate member");
  }
  zset.compactIfSmall(settings);
  return zset;
}

/**
 * A listpack (or an old ziplist) of member, score...; a skiplist if it
 * has too many members.
 */
function readPackedSortedSet(
  reader: RdbReader,
  settings: EncodingSettings,
  listpack: boolean,
): RedisSortedSet {
  const items = unpack(reader, listpack);
  if (items.length === 0) fail("empty sorted set");
  if (items.length % 2 !== 0) fail("sorted set listpack with an odd count");
  const zset = new RedisSortedSet("listpack");
  for (let i = 0; i < items.length; i += 2) {
    const score = scoreOf(items[i + 1]!);
    if (!zset.add(items[i]!, score, UNLIMITED)) fail("duplicate member");
  }
  if (zset.size > settings.zsetMaxListpackEntries) zset.convertToSkiplist();
  return zset;
}

/** A score as a listpack holds it: integer or `%.17g` text, or `inf`. */
function scoreOf(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  const score = Number(text);
  if (text.trim() === "" || Number.isNaN(score)) fail("bad score");
  return score;
}
// #endregion read-zset
