import { z } from "zod";
import { normalizeAnswer } from "./answers";

/**
 * Zod schemas for the quest kind: the quest definition (PROTOCOLS.md §2,
 * Hearth's own format), the room config, and every command a quest room
 * accepts. Every string and number is bounded, because a definition lives
 * in every room's config (read by every hook) and commands arrive from phones.
 */

/** Largest team. Also bounds a numeric `consensus.required`. */
export const MAX_PLAYERS = 50;
/** Largest BATCH (events applied atomically, in order). */
export const MAX_BATCH = 50;
/** Serialized size cap for a definition: every room stores it in its config (not its state). */
export const MAX_DEFINITION_CHARS = 200_000;

// Ids are matched verbatim against runtime events, so they are not trimmed.
const id = z.string().min(1).max(128);
const shortText = z.string().trim().min(1).max(200);
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);

export const locationSchema = z.strictObject({
  lat,
  lng,
  /** Arrival counts within this many metres of the point (100 km at most). */
  radiusM: z.number().positive().max(100_000),
});

export const mediaSchema = z.strictObject({
  type: z.enum(["audio", "image", "video"]),
  // http(s) only: clients put this in <audio src>, a javascript: URL must not get there.
  url: z.url({ protocol: /^https?$/ }).max(2048),
  durationS: z.number().positive().max(24 * 3600).optional(),
  caption: z.string().max(500).optional(),
});

export const consensusSchema = z.strictObject({
  /** "all" = every registered team member; a number is capped at the team size when applied. */
  required: z.union([z.literal("all"), z.int().min(1).max(MAX_PLAYERS)]),
});

export const nodeSchema = z.strictObject({
  /** Any non-empty id, e.g. `tl_object1__audio_intro`; unique across the whole quest. */
  id,
  kind: z.enum(["audio", "text", "puzzle", "action"]),
  scope: z.enum(["player", "session"]).default("session"),
  title: shortText.optional(),
  text: z.string().max(5000).optional(),
  media: mediaSchema.optional(),
  /** Puzzle only. Compared after normalizeAnswer; never sent to clients. */
  answers: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  /** Puzzle only. Unlimited when absent. */
  maxAttempts: z.int().min(1).max(1000).optional(),
  /** Session nodes only: a gate that needs several players to succeed. */
  consensus: consensusSchema.optional(),
});

export const objectSchema = z.strictObject({
  id,
  name: shortText,
  description: z.string().max(2000).optional(),
  location: locationSchema.optional(),
  timeline: z.array(nodeSchema).max(50),
});

export const questDefinitionSchema = z
  .strictObject({
    // Appears in URLs (`PUT /api/quests/:questId`), hence the narrow alphabet.
    questId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "questId must be 1-64 of A-Z a-z 0-9 _ -"),
    title: shortText,
    description: z.string().max(2000).optional(),
    teamTravelMode: z.enum(["co-located", "independent"]).default("co-located"),
    /** How many not-yet-completed objects are available at once. */
    window: z.int().min(1).max(100).default(1),
    objects: z.array(objectSchema).min(1).max(100),
  })
  .superRefine((def, ctx) => {
    const objectIds = new Set<string>();
    // Node ids are global: runtime events name a node without its object.
    const nodeIds = new Set<string>();
    def.objects.forEach((object, i) => {
      if (objectIds.has(object.id)) {
        ctx.addIssue({ code: "custom", path: ["objects", i, "id"], message: `duplicate object id "${object.id}"` });
      }
      objectIds.add(object.id);
      object.timeline.forEach((node, j) => {
        const at = ["objects", i, "timeline", j];
        if (nodeIds.has(node.id)) {
          ctx.addIssue({ code: "custom", path: [...at, "id"], message: `duplicate node id "${node.id}"` });
        }
        nodeIds.add(node.id);
        if (node.kind === "puzzle" && !node.answers) {
          ctx.addIssue({ code: "custom", path: [...at, "answers"], message: "a puzzle node needs answers" });
        }
        if (node.kind !== "puzzle" && node.answers) {
          ctx.addIssue({ code: "custom", path: [...at, "answers"], message: "answers are only for puzzle nodes" });
        }
        if (node.kind !== "puzzle" && node.maxAttempts !== undefined) {
          ctx.addIssue({ code: "custom", path: [...at, "maxAttempts"], message: "maxAttempts is only for puzzle nodes" });
        }
        if (node.consensus && node.scope === "player") {
          ctx.addIssue({ code: "custom", path: [...at, "consensus"], message: "consensus gates are session-scope; drop scope \"player\"" });
        }
        node.answers?.forEach((answer, k) => {
          // An answer that normalizes to nothing could never be matched (or would match everything).
          if (normalizeAnswer(answer) === "") {
            ctx.addIssue({ code: "custom", path: [...at, "answers", k], message: "an answer needs at least one letter or digit" });
          }
        });
      });
    });
    if (JSON.stringify(def).length > MAX_DEFINITION_CHARS) {
      ctx.addIssue({ code: "custom", path: [], message: `the definition is larger than ${MAX_DEFINITION_CHARS} characters` });
    }
  });

export type QuestDefinition = z.output<typeof questDefinitionSchema>;
export type QuestObject = QuestDefinition["objects"][number];
export type QuestNode = QuestObject["timeline"][number];

const playerId = z.string().min(1).max(128);
const playerName = z.string().trim().min(1).max(80);

export const rosterEntrySchema = z.strictObject({ playerId, playerName });

/** Room creation config (`POST /api/teams` creates the room with it). */
export const questConfigSchema = z
  .object({
    questId: z.string().min(1).max(64),
    definition: questDefinitionSchema,
    mode: z.enum(["solo", "team"]),
    /** Optional: players registered from the start (e.g. the team's creator). */
    players: z.array(rosterEntrySchema).max(MAX_PLAYERS).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.questId !== config.definition.questId) {
      ctx.addIssue({ code: "custom", path: ["questId"], message: "questId must equal definition.questId" });
    }
    if (config.mode === "solo" && (config.players?.length ?? 0) > 1) {
      ctx.addIssue({ code: "custom", path: ["players"], message: "a solo session has one player" });
    }
  });

export type QuestConfig = z.output<typeof questConfigSchema>;

// ---- runtime events (PROTOCOLS §2) ----

/** Only honoured when the actor is a service; a player token naming someone else is FORBIDDEN. */
const actingFor = { playerId: playerId.optional() };
const nodeId = z.string().min(1).max(128);

export const objectArriveSchema = z
  .object({
    type: z.literal("OBJECT_ARRIVE"),
    objectId: z.string().min(1).max(128),
    lat: lat.optional(),
    lng: lng.optional(),
    ...actingFor,
  })
  .refine((e) => (e.lat === undefined) === (e.lng === undefined), {
    path: ["lng"],
    message: "lat and lng come together",
  });

export const runtimeEventSchema = z.discriminatedUnion("type", [
  objectArriveSchema,
  z.object({ type: z.literal("NODE_COMPLETE"), nodeId, ...actingFor }),
  z.object({ type: z.literal("PUZZLE_SUBMIT"), nodeId, answer: z.string().max(200), ...actingFor }),
  z.object({ type: z.literal("ACTION_ATTEMPT"), nodeId, ...actingFor }),
  z.object({ type: z.literal("ACTION_RESULT"), nodeId, success: z.boolean(), ...actingFor }),
]);

export type RuntimeEvent = z.output<typeof runtimeEventSchema>;

export const batchSchema = z.object({
  type: z.literal("BATCH"),
  events: z.array(runtimeEventSchema).min(1).max(MAX_BATCH),
  /** Default playerId for events that name none (services only). */
  ...actingFor,
});

/** Issued by the worker (service, scope `rooms:admin`) when a team is created or joined. */
export const registerPlayerSchema = z.object({ type: z.literal("REGISTER_PLAYER"), playerId, playerName });

/** Seed 000: `{"type":"join","sessionId":"7TCJEM","playerName":"..."}` after the socket opens. */
const joinFields = {
  sessionId: z.string().min(1).max(64).optional(),
  playerName: z.string().max(80).optional(),
};
export const joinSchema = z.object({ type: z.literal("join"), ...joinFields });
/** The old backend's name for the same frame (seed 000, websocket_handler); kept as an alias. */
export const joinSessionSchema = z.object({ type: z.literal("join_session"), ...joinFields });

/**
 * Seed 000 names the frame but not its fields; Hearth relays only these
 * (unknown keys are stripped, so a socket can't broadcast arbitrary payloads).
 */
export const playerStateUpdateSchema = z.object({
  type: z.literal("player_state_update"),
  lat,
  lng,
  accuracyM: z.number().min(0).max(100_000).optional(),
  heading: z.number().min(0).max(360).optional(),
  speedMps: z.number().min(0).max(500).optional(),
  altitudeM: z.number().min(-1000).max(100_000).optional(),
});

const commandUnion = z.discriminatedUnion("type", [
  ...runtimeEventSchema.options,
  batchSchema,
  registerPlayerSchema,
  joinSchema,
  joinSessionSchema,
  playerStateUpdateSchema,
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every command a quest room takes. PROTOCOLS §2 lets an HTTP body be a bare
 * `{events: [...]}`; it is read as a BATCH.
 */
export const questCommandSchema = z.preprocess(
  (raw) => (isRecord(raw) && raw.type === undefined && Array.isArray(raw.events) ? { ...raw, type: "BATCH" } : raw),
  commandUnion,
);

export type QuestCommand = z.output<typeof commandUnion>;
export type BatchCommand = z.output<typeof batchSchema>;
export type PlayerStateUpdate = z.output<typeof playerStateUpdateSchema>;
