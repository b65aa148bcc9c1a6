/**
 * Unit tests for protected-mode.ts: Redis 7.0.15's rule, case by case.
 * Each case was checked on redis-server 7.0.15 from this machine's
 * non-loopback address and from 127.0.0.2, with `bind` at its default,
 * 0.0.0.0, and that address alone (it changes nothing); chapter 03's AUTH
 * tests send the black-box ones to both servers.
 */
import { describe, expect, it } from "vitest";
import {
  isLoopback,
  PROTECTED_MODE_DENIED,
  protectedModeRefuses,
} from "../../src/dispatch/protected-mode.ts";

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["::1", true],
    // Node's form of an IPv4 client on a socket bound to "::".
    ["::ffff:127.0.0.1", true],
    // Redis compares the text: the rest of 127.0.0.0/8 is not local.
    ["127.0.0.2", false],
    ["::ffff:127.0.0.2", false],
    ["192.0.2.2", false],
    ["10.0.0.1", false],
    ["fe80::1", false],
    ["::", false],
    ["0.0.0.0", false],
    ["", false],
    // The socket is gone before we could ask: not local, as in Redis.
    [undefined, false],
  ])("%j: %s", (address, local) => {
    expect(isLoopback(address)).toBe(local);
  });
});

describe("protectedModeRefuses", () => {
  const open = { protectedMode: true, requirepass: "" };

  it("refuses a client from another machine when protected mode is on and no password is set", () => {
    expect(protectedModeRefuses(open, "192.0.2.2")).toBe(true);
    expect(protectedModeRefuses(open, "127.0.0.2")).toBe(true);
    expect(protectedModeRefuses(open, undefined)).toBe(true);
  });

  it("always serves a loopback client", () => {
    expect(protectedModeRefuses(open, "127.0.0.1")).toBe(false);
    expect(protectedModeRefuses(open, "::1")).toBe(false);
  });

  it("serves everyone once a password is set: AUTH takes over", () => {
    expect(
      protectedModeRefuses({ ...open, requirepass: "secret" }, "192.0.2.2"),
    ).toBe(false);
  });

  it("serves everyone with protected mode off", () => {
    expect(
      protectedModeRefuses({ ...open, protectedMode: false }, "192.0.2.2"),
    ).toBe(false);
  });
});

describe("PROTECTED_MODE_DENIED", () => {
  it("is one RESP error line: -DENIED, text, CRLF", () => {
    expect(PROTECTED_MODE_DENIED).toMatch(/^-DENIED [^\r\n]+\r\n$/);
    expect(PROTECTED_MODE_DENIED).toHaveLength(1067);
  });
});
