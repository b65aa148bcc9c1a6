/**
 * The verdict on one exchange, in this order:
 * 1. the same bytes;
 * 2. the same once what differs by nature is set aside (normalise.ts);
 * 3. the same once known, deliberate differences are taken out, or a
 *    difference that is one of them as a whole (known-differences.ts);
 * 4. otherwise, a difference nobody has explained.
 */
import type { CompareContext, Exchange } from "./exchange.ts";
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
    };

export function compareExchange(
  exchange: Exchange,
  context: CompareContext,
  normalisations: readonly Normalisation[] = NORMALISATIONS,
  known: readonly KnownDifference[] = KNOWN_DIFFERENCES,
): Verdict {
  if (exchange.ours.raw.equals(exchange.redis.raw)) return { kind: "same" };
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
