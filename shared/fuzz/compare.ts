/**
 * The verdict on one exchange, in this order:
 * 1. the same bytes;
 * 2. for an EXEC that ran its queue, each element of its reply judged by
 *    these same steps as the reply of the command it answers (a rule for
 *    KEYS applies to a KEYS inside EXEC), all of them agreeing;
 * 3. the same once what differs by nature is set aside (normalise.ts);
 * 4. the same once known, deliberate differences are taken out, or a
 *    difference that is one of them as a whole (known-differences.ts);
 * 5. otherwise, a difference nobody has explained.
 */
import {
  itemsOf,
  queuedElements,
  type CompareContext,
  type Exchange,
} from "./exchange.ts";
import { protocolsOfElements } from "./protocol.ts";
import { escapeCommand } from "./resp.ts";
import {
  KNOWN_DIFFERENCES,
  type KnownDifference,
} from "./known-differences.ts";
import { NORMALISATIONS, type Normalisation } from "./normalise.ts";

export type Verdict =
  | { readonly kind: "same" }
  | { readonly kind: "normalised"; readonly rule: string }
  | { readonly kind: "explained"; readonly ids: readonly string[] }
  | {
      readonly kind: "different";
      /**
       * The replies with the known differences found in them taken out,
       * and which those were: what is left is the unexplained part.
       */
      readonly residual?: Exchange;
      readonly without?: readonly string[];
      /** Which part of the reply `residual` is, when it is one (an element of EXEC's reply). */
      readonly part?: string;
    };

/** The rule an EXEC whose elements all agree, one of them by a rule, is counted under. */
export const EXEC_ELEMENTS = "exec-elements";

export function compareExchange(
  exchange: Exchange,
  context: CompareContext,
  normalisations: readonly Normalisation[] = NORMALISATIONS,
  known: readonly KnownDifference[] = KNOWN_DIFFERENCES,
): Verdict {
  if (exchange.ours.raw.equals(exchange.redis.raw)) return { kind: "same" };
  if (exchange.queued !== undefined) {
    const verdict = compareElements(exchange, context, normalisations, known);
    if (verdict !== undefined) return verdict;
  }
  const rule = normalisations.find((n) => n.applies(exchange.args));
  const agree = (e: Exchange): boolean =>
    e.ours.raw.equals(e.redis.raw) || (rule?.agree(e, context) ?? false);
  if (rule !== undefined && rule.agree(exchange, context)) {
    return { kind: "normalised", rule: rule.name };
  }

  // Take each known difference out in turn; those that changed something
  // explain the exchange if what is left agrees.
  let rewritten = exchange;
  const used: string[] = [];
  for (const difference of known) {
    if (difference.rewrite === undefined) continue;
    const next = difference.rewrite(rewritten, context);
    if (
      !next.ours.raw.equals(rewritten.ours.raw) ||
      !next.redis.raw.equals(rewritten.redis.raw)
    ) {
      used.push(difference.id);
      rewritten = next;
    }
  }
  if (used.length > 0 && agree(rewritten)) {
    return { kind: "explained", ids: used };
  }

  const whole = known.find((k) => k.matches?.(exchange, context) === true);
  if (whole !== undefined) return { kind: "explained", ids: [whole.id] };
  return used.length > 0
    ? { kind: "different", residual: rewritten, without: used }
    : { kind: "different" };
}

/**
 * An EXEC's reply, element by element: each judged as the reply of the
 * queued command it answers, with its companion's element as companion,
 * and the companion's as a reply of its own. Undefined when the replies
 * are not two arrays of one element per queued command (a null, an
 * EXECABORT), which are then compared as they are.
 */
function compareElements(
  exchange: Exchange,
  context: CompareContext,
  normalisations: readonly Normalisation[],
  known: readonly KnownDifference[],
): Verdict | undefined {
  const a = itemsOf(exchange.ours);
  const b = itemsOf(exchange.redis);
  const queued = exchange.queued!;
  const answered = queuedElements(queued);
  const expected = answered.length;
  if (a === undefined || b === undefined) return undefined;
  if (a.length !== expected || b.length !== expected) return undefined;
  // A queued HELLO switches the protocol of the elements after it.
  const protocols = protocolsOfElements(answered, b, exchange.protocol).each;
  const ids = new Set<string>();
  let position = 0;
  for (const command of queued) {
    const at = position;
    const protocol = protocols[at]!;
    const elements: Exchange[] = [
      {
        args: command.args,
        protocol,
        insideExec: true,
        ours: a[at]!,
        redis: b[at]!,
        ...(command.companion === undefined
          ? {}
          : { companion: { ours: a[at + 1]!, redis: b[at + 1]! } }),
      },
    ];
    if (command.companion !== undefined) {
      elements.push({
        args: command.companion,
        protocol,
        insideExec: true,
        ours: a[at + 1]!,
        redis: b[at + 1]!,
      });
    }
    position += elements.length;
    for (const [i, element] of elements.entries()) {
      const verdict = compareExchange(element, context, normalisations, known);
      if (verdict.kind === "explained")
        verdict.ids.forEach((id) => ids.add(id));
      if (verdict.kind !== "different") continue;
      return {
        kind: "different",
        residual: verdict.residual ?? element,
        ...(verdict.without === undefined ? {} : { without: verdict.without }),
        part: `element ${at + i + 1} of ${expected} of EXEC's reply, the reply to ${escapeCommand(element.args)}`,
      };
    }
  }
  return ids.size > 0
    ? { kind: "explained", ids: [...ids] }
    : { kind: "normalised", rule: EXEC_ELEMENTS };
}
