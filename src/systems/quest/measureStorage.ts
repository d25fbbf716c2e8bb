/**
 * Dev script, not part of the kind: how many characters of state JSON one
 * quest command makes the core write (it rewrites the whole state on every
 * commit). Run from the repository root with
 *
 *   npx esbuild src/systems/quest/measureStorage.ts --bundle --platform=node --format=esm --log-level=warning | node --input-type=module
 *
 * It drives questKind the way the core does: init from a validated config,
 * then REGISTER_PLAYER and one OBJECT_ARRIVE, every hook with the same
 * KindCtx (config included).
 */
import type { Actor, KindCtx } from "../../core/kind.ts";
import harborWalk from "../../../examples/quests/harbor-walk.json";
import { questKind } from "./questKind";
import { MAX_DEFINITION_CHARS } from "./schema";
import type { QuestState } from "./state";

const T0 = Date.UTC(2025, 11, 30, 12, 0, 0);
const admin: Actor = { userId: "service:worker", name: "worker", role: "admin", service: true, scopes: ["rooms:admin"] };
const ana: Actor = { userId: "p-ana", name: "Ana", role: "player", service: false, scopes: [] };

/** A definition whose validated JSON is just under MAX_DEFINITION_CHARS: 100 objects of 10 nodes each. */
function largeDefinition(): { questId: string; definition: unknown } {
  const build = (filler: number) => ({
    questId: "large",
    title: "Large quest",
    teamTravelMode: "co-located",
    window: 1,
    objects: Array.from({ length: 100 }, (_, i) => ({
      id: `o${i}`,
      name: `Object ${i}`,
      timeline: Array.from({ length: 10 }, (_, j) => ({
        id: `o${i}n${j}`,
        kind: j === 1 ? "puzzle" : "text",
        scope: "session",
        text: "x".repeat(filler),
        ...(j === 1 ? { answers: ["anchor"] } : {}),
      })),
    })),
  });
  let filler = 0;
  while (JSON.stringify(build(filler + 1)).length <= MAX_DEFINITION_CHARS) filler += 1;
  return { questId: "large", definition: build(filler) };
}

function measure(label: string, questId: string, definition: unknown, arriveAt: string): void {
  const config = questKind.config!.parse({ questId, definition, mode: "team" });
  const ctx = (actor: Actor, now: number): KindCtx => ({
    actor,
    connId: null,
    roomId: "7TCJEM",
    now,
    random: () => 0.5,
    config,
    online: [],
    head: 0,
    epoch: "e",
  });
  let state: QuestState = questKind.init(config, ctx(admin, T0));
  const step = (actor: Actor, command: unknown, now: number) => {
    const result = questKind.apply(state, questKind.command.parse(command), ctx(actor, now));
    if (!result.ok) throw new Error(`${label}: ${result.code} ${result.message}`);
    state = result.state;
  };
  step(admin, { type: "REGISTER_PLAYER", playerId: ana.userId, playerName: ana.name }, T0 + 1000);
  step(ana, { type: "OBJECT_ARRIVE", objectId: arriveAt }, T0 + 2000);
  const definitionChars = JSON.stringify((config as { definition: unknown }).definition).length;
  const json = JSON.stringify(state);
  const bytes = new TextEncoder().encode(json).length;
  console.log(`${label}: definition ${definitionChars} chars; state after OBJECT_ARRIVE ${json.length} chars (${bytes} UTF-8 bytes)`);
}

measure("harbor-walk", harborWalk.questId, harborWalk, "object1");
const large = largeDefinition();
measure("large", large.questId, large.definition, "o0");
