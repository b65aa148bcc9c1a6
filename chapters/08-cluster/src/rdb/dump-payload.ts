/**
 * DUMP's payload, which RESTORE takes back and MIGRATE carries to another
 * node: one value in RDB encoding, then the RDB version that wrote it (2
 * bytes, little-endian) and a CRC64 of everything before (8 bytes,
 * little-endian). Redis's `createDumpPayload` and `verifyDumpPayload`.
 */
import type { RedisValue } from "../keyspace/keyspace.ts";
import type { EncodingSettings } from "../config/encoding-directives.ts";
import { crc64 } from "./crc64.ts";
import { RDB_VERSION, RdbFormatError } from "./rdb-format.ts";
import { RdbReader } from "./rdb-reader.ts";
import { RdbWriter } from "./rdb-writer.ts";
import { readValue } from "./value-reader.ts";
import { writeValue } from "./value-writer.ts";

/** The version and the CRC after the value. */
const FOOTER_BYTES = 10;

// #region create
/** The DUMP payload of `value`. */
export function createDumpPayload(value: RedisValue): Buffer {
  const writer = new RdbWriter();
  writeValue(writer, value);
  const footer = Buffer.alloc(2);
  footer.writeUInt16LE(RDB_VERSION);
  writer.writeBytes(footer);
  const body = writer.toBuffer();
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, crc]);
}
// #endregion create

// #region verify
/**
 * Whether `payload` ends with a version this server reads (10 or older)
 * and the CRC of what precedes it. A CRC of 0 is no exception: unlike an
 * RDB file's, a payload's checksum cannot be turned off.
 */
export function isIntactPayload(payload: Buffer): boolean {
  if (payload.length < FOOTER_BYTES) return false;
  const footer = payload.length - FOOTER_BYTES;
  if (payload.readUInt16LE(footer) > RDB_VERSION) return false;
  const crc = payload.readBigUInt64LE(footer + 2);
  return crc === crc64(payload.subarray(0, footer + 2));
}

// #endregion verify

// #region read
/** What RESTORE makes of a payload: the value, or Redis's error for it. */
export type PayloadContents = { value: RedisValue } | { error: string };

export const BAD_PAYLOAD_ERROR =
  "ERR DUMP payload version or checksum are wrong";
export const BAD_DATA_ERROR = "ERR Bad data format";

/**
 * The value in `payload`, rebuilt under the server's encoding `settings`,
 * or the error RESTORE answers. Like Redis, the value is read from the
 * payload's start with the footer still there, and bytes left over after
 * it are not looked at: only the footer is checked, by its CRC.
 */
export function readDumpPayload(
  payload: Buffer,
  settings: EncodingSettings,
): PayloadContents {
  if (!isIntactPayload(payload)) return { error: BAD_PAYLOAD_ERROR };
  try {
    return { value: readValue(new RdbReader(payload), settings) };
  } catch (error) {
    if (error instanceof RdbFormatError) return { error: BAD_DATA_ERROR };
    throw error;
  }
}
// #endregion read
