/**
 * The settings that choose how values are stored: how big a node of a
 * list's quicklist may grow (and, in the next parts of the chapter, when a
 * hash, a set or a sorted set leaves its compact encoding). Kept apart
 * from directives.ts, which merges them into its table, because this
 * family grows with every type.
 */
import { parseInteger } from "./config-values.ts";

/** The bounds of a C int, which Redis's int settings are kept in. */
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

// #region list-settings
export interface EncodingSettings {
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
};

/** A directive of this family, as directives.ts's `Directive` sees it. */
interface EncodingDirective {
  apply(config: EncodingSettings, value: string): void;
  show(config: EncodingSettings): string;
  mutable: true;
}

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
