import type { AnyKind } from "../kinds/kind.ts";
import { questKind } from "../kinds/quest/index.ts";
import { relayKind } from "../kinds/relay/relayKind.ts";
import { tabletopKind } from "../kinds/tabletop/index.ts";
import type { Codec } from "../protocol/codec.ts";
import { eventCodec } from "../protocol/eventCodec.ts";
import { typeCodec } from "../protocol/typeCodec.ts";

/** A system is a kind plus the codec its clients speak. */
export interface System {
  kind: AnyKind;
  codec: Codec;
}

export const systems: Record<string, System> = {
  relay: { kind: relayKind, codec: typeCodec() },
  quest: { kind: questKind, codec: typeCodec("quest") },
  tabletop: { kind: tabletopKind, codec: eventCodec("tabletop") },
};

export const systemFor = (kind: string): System | undefined => (Object.hasOwn(systems, kind) ? systems[kind] : undefined);
