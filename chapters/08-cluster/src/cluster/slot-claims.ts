/**
 * Who serves a slot, as the bus settles it (Redis's
 * clusterUpdateSlotsConfigWith and clusterHandleConfigEpochCollision).
 * Each master claims its slots in every message's header, with its config
 * epoch; a claim at a higher config epoch than the owner's wins the slot,
 * and a stale claim earns its sender an UPDATE. For "higher wins" to
 * settle every dispute, no two masters may share a config epoch: the one
 * with the smaller name moves on when two meet.
 */
import type { BusLink } from "./bus-link.ts";
import type { MessageHeader } from "./bus-message.ts";
import type { ClusterBus } from "./cluster-bus.ts";
import { NodeFlag, type ClusterNode } from "./cluster-node.ts";
import type { ClusterState } from "./cluster-state.ts";
import { SLOT_COUNT } from "./hash-slot.ts";
import { sendUpdate } from "./bus-send.ts";

// #region update-slots
/**
 * The slots a master claims in its header. Where its config epoch is
 * higher than the owner's we know, it wins them. Where a slot's owner
 * has a higher config epoch than the sender's claim, the sender is out of
 * date: it is sent an UPDATE about that owner (one per message, as Redis).
 */
export function updateSlots(
  bus: ClusterBus,
  link: BusLink,
  sender: ClusterNode,
  header: MessageHeader,
): void {
  const { state } = bus;
  if (sender.has(NodeFlag.HANDSHAKE) || !sender.isMaster) return;
  if (sameSlots(sender.slots, header.slots)) return;
  claimSlots(state, sender, header.configEpoch, header.slots);
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    if (!hasBit(header.slots, slot)) continue;
    const owner = state.owners[slot];
    if (owner === undefined || owner === sender) continue;
    if (owner.configEpoch > header.configEpoch) {
      sendUpdate(bus, link, owner);
      break;
    }
  }
}

/**
 * Gives `node` every slot of `slots` that is unassigned or whose owner
 * has a lower config epoch (clusterUpdateSlotsConfigWith). Never our own
 * view of ourselves: we change our slots only by command. Nor a slot we
 * are importing: a move by hand is finished by hand (SETSLOT NODE), even
 * if the source already gave the slot up.
 *
 * A slot of ours lost this way may still hold keys (after a failover, or
 * a slot moved by hand without its keys): no client will ever be sent
 * here for them again, so they are deleted, as Redis 7.0 does, without a
 * word to the AOF (7.0 logs nothing for them either).
 */
export function claimSlots(
  state: ClusterState,
  node: ClusterNode,
  configEpoch: number,
  slots: Uint8Array,
): void {
  if (node === state.myself) return;
  let changed = false;
  const dirtySlots: number[] = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    if (!hasBit(slots, slot)) continue;
    const owner = state.owners[slot];
    if (owner === node || state.importingFrom[slot] !== undefined) continue;
    if (owner === undefined || owner.configEpoch < configEpoch) {
      if (owner === state.myself) {
        console.log(
          `Slot ${slot} is now served by ${node.name}, at a higher config epoch.`,
        );
        if (state.slotKeys.count(slot) > 0) dirtySlots.push(slot);
      }
      state.unassignSlot(slot);
      state.assignSlot(slot, node);
      changed = true;
    }
  }
  if (changed) state.changed({ save: true, fsync: true, updateState: true });
  for (const slot of dirtySlots) state.slotKeys.deleteAll(slot);
}

function hasBit(slots: Uint8Array, slot: number): boolean {
  return (slots[slot >> 3]! & (1 << (slot & 7))) !== 0;
}

function sameSlots(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
// #endregion update-slots

// #region epoch-collision
/**
 * Two masters with the same config epoch (both given 0, or a race): the
 * one with the smaller name moves on to a new epoch, so that every
 * master's epoch ends up unique and "higher epoch wins" always decides
 * (clusterHandleConfigEpochCollision).
 */
export function handleEpochCollision(
  state: ClusterState,
  sender: ClusterNode,
  header: MessageHeader,
): void {
  const { myself } = state;
  if (
    !sender.isMaster ||
    !myself.isMaster ||
    header.configEpoch !== myself.configEpoch ||
    sender.name <= myself.name
  ) {
    return;
  }
  state.currentEpoch += 1;
  myself.configEpoch = state.currentEpoch;
  state.changed({ save: true, fsync: true });
  console.log(
    `WARNING: configEpoch collision with node ${sender.name}. configEpoch set to ${myself.configEpoch}`,
  );
}
// #endregion epoch-collision
