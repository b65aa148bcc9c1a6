/**
 * The settings that choose how values are stored: how big a node of a
 * list's quicklist may grow, and when a hash, a set or a sorted set
 * leaves its compact encoding. Kept
 * apart from directives.ts, which merges them into its table, because
 * this family grows with every type.
 */
import { parseInt64 } from "../numbers/integers.ts";
import {
  ConfigError,
  exactNumber,
  parseInteger,
  parseMemory,
} from "./config-values.ts";

/** The bounds of a C int, which Redis's int settings are kept in. */
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

// #region list-settings
export interface EncodingSettings
  extends HashEncodingSettings, SetEncodingSettings, SortedSetEncodingSettings {
  /**
   * How big one node of a list's quicklist may grow (types/quicklist.ts):
   * a positive count of entries, or -1 to -5 for 4, 8, 16, 32 or 64 KB of
   * packed bytes. Redis's `list-max-listpack-size` (once
   * `list-max-ziplist-size`) and its default, -2: 8 KB. It takes any 32-bit
   * int, as Redis does; the quicklist reads what is beyond -5 as -5. A list
   * keeps the value it was created with.
   */
  listMaxListpackSize: number;
  /**
   * How many nodes at each end of a list stay uncompressed; 0 is none
   * compressed. Redis's `list-compress-depth`: accepted and shown, but our
   * quicklists never compress (a deliberate difference, see quicklist.ts).
   */
  listCompressDepth: number;
}
// #endregion list-settings

export const DEFAULT_ENCODING_SETTINGS: Readonly<EncodingSettings> = {
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};

/** A directive of this family, as directives.ts's `Directive` sees it. */
interface EncodingDirective {
  apply(config: EncodingSettings, value: string): void;
  show(config: EncodingSettings): string;
  mutable: true;
}

// #region hash-settings
/**
 * When a hash leaves its compact encoding, a listpack, for a hash table
 * (types/hash.ts): once it has more than `hashMaxListpackEntries` fields,
 * or a field or value longer than `hashMaxListpackValue` bytes. Redis's
 * `hash-max-listpack-entries` and `hash-max-listpack-value` (once
 * `hash-max-ziplist-*`), 512 and 64 by default. Redis reads them at every
 * write, so a new value applies to the hashes that exist as soon as they
 * change. Each takes up to 2^63 - 1, kept as a bigint beyond 2^53 so that
 * CONFIG GET shows it exactly.
 */
export interface HashEncodingSettings {
  hashMaxListpackEntries: number | bigint;
  hashMaxListpackValue: number | bigint;
}
// #endregion hash-settings

// #region hash-directives
/**
 * The hash settings, each under its name since Redis 7.0 and the name it
 * had before (hashes were ziplists then): Redis keeps both, and CONFIG GET
 * shows both. The count is read as an integer; the length, as a size in
 * bytes, so `1kb` is 1024 there, and "" is 0, as Redis reads it.
 */
const HASH_DIRECTIVES: Readonly<Record<string, EncodingDirective>> = {
  "hash-max-listpack-entries": hashMaxListpackEntries(
    "hash-max-listpack-entries",
  ),
  "hash-max-ziplist-entries": hashMaxListpackEntries(
    "hash-max-ziplist-entries",
  ),
  "hash-max-listpack-value": hashMaxListpackValue("hash-max-listpack-value"),
  "hash-max-ziplist-value": hashMaxListpackValue("hash-max-ziplist-value"),
};

function hashMaxListpackEntries(name: string): EncodingDirective {
  return {
    apply(config, value) {
      config.hashMaxListpackEntries = parseCount(value, name);
    },
    show: (config) => String(config.hashMaxListpackEntries),
    mutable: true,
  };
}

function hashMaxListpackValue(name: string): EncodingDirective {
  return {
    apply(config, value) {
      config.hashMaxListpackValue = parseMemory(value, name, 0);
    },
    show: (config) => String(config.hashMaxListpackValue),
    mutable: true,
  };
}

/**
 * A count from 0 to 2^63 - 1 (a C `long`), read as Redis reads integer
 * settings (`string2ll`): beyond 64 bits is no integer at all.
 */
function parseCount(text: string, name: string): number | bigint {
  const message = `Invalid ${name} '${text}': expected a whole number from 0 to 9223372036854775807`;
  const value = parseInt64(text);
  if (value === undefined) {
    throw new ConfigError(
      message,
      "argument couldn't be parsed into an integer",
    );
  }
  if (value < 0n) {
    throw new ConfigError(
      message,
      "argument must be between 0 and 9223372036854775807 inclusive",
    );
  }
  return exactNumber(value);
}
// #endregion hash-directives

// #region set-directives
/**
 * When a set of integers leaves its compact encoding, an intset, for a
 * hash table (types/set.ts): once it has more than `setMaxIntsetEntries`
 * members. Redis's `set-max-intset-entries`, 512 by default, read at
 * every write as the hash settings are. A member that is not an integer
 * converts a set whatever this says.
 */
export interface SetEncodingSettings {
  setMaxIntsetEntries: number | bigint;
}

/** The set setting: one name, a count as the hash entries' is. */
const SET_DIRECTIVES: Readonly<Record<string, EncodingDirective>> = {
  "set-max-intset-entries": {
    apply(config, value) {
      config.setMaxIntsetEntries = parseCount(value, "set-max-intset-entries");
    },
    show: (config) => String(config.setMaxIntsetEntries),
    mutable: true,
  },
};
// #endregion set-directives

// #region sorted-set-directives
/**
 * When a sorted set leaves its compact encoding, a listpack, for a
 * skiplist beside a hash table (types/sorted-set.ts): once it has more
 * than `zsetMaxListpackEntries` members, or a member longer than
 * `zsetMaxListpackValue` bytes. Redis's `zset-max-listpack-entries` and
 * `zset-max-listpack-value` (once `zset-max-ziplist-*`), 128 and 64 by
 * default, read at every write and bounded as the hash settings are.
 */
export interface SortedSetEncodingSettings {
  zsetMaxListpackEntries: number | bigint;
  zsetMaxListpackValue: number | bigint;
}

/** The sorted-set settings, under both names, as the hash settings are. */
const SORTED_SET_DIRECTIVES: Readonly<Record<string, EncodingDirective>> = {
  "zset-max-listpack-entries": zsetMaxListpackEntries(
    "zset-max-listpack-entries",
  ),
  "zset-max-ziplist-entries": zsetMaxListpackEntries(
    "zset-max-ziplist-entries",
  ),
  "zset-max-listpack-value": zsetMaxListpackValue("zset-max-listpack-value"),
  "zset-max-ziplist-value": zsetMaxListpackValue("zset-max-ziplist-value"),
};

function zsetMaxListpackEntries(name: string): EncodingDirective {
  return {
    apply(config, value) {
      config.zsetMaxListpackEntries = parseCount(value, name);
    },
    show: (config) => String(config.zsetMaxListpackEntries),
    mutable: true,
  };
}

function zsetMaxListpackValue(name: string): EncodingDirective {
  return {
    apply(config, value) {
      config.zsetMaxListpackValue = parseMemory(value, name, 0);
    },
    show: (config) => String(config.zsetMaxListpackValue),
    mutable: true,
  };
}
// #endregion sorted-set-directives

// #region list-directives
/** The directives of this family, in CONFIG GET's order. */
export const ENCODING_DIRECTIVES: Readonly<Record<string, EncodingDirective>> =
  {
    "list-max-listpack-size": listMaxListpackSize("list-max-listpack-size"),
    // Its name before Redis 7.0 stored lists as listpacks. Redis keeps it as
    // an alias, and CONFIG GET shows both names.
    "list-max-ziplist-size": listMaxListpackSize("list-max-ziplist-size"),
    "list-compress-depth": {
      apply(config, value) {
        config.listCompressDepth = parseInteger(
          value,
          "list-compress-depth",
          0,
          INT_MAX,
        );
      },
      show: (config) => String(config.listCompressDepth),
      mutable: true,
    },
    ...HASH_DIRECTIVES,
    ...SET_DIRECTIVES,
    ...SORTED_SET_DIRECTIVES,
  };
// #endregion list-directives

/**
 * `list-max-listpack-size`, under one of its two names: any 32-bit int,
 * as Redis accepts (0 and -6 included), so CONFIG SET answers as Redis does.
 */
function listMaxListpackSize(name: string): EncodingDirective {
  return {
    apply(config, value) {
      config.listMaxListpackSize = parseInteger(value, name, INT_MIN, INT_MAX);
    },
    show: (config) => String(config.listMaxListpackSize),
    mutable: true,
  };
}
