import { z } from "zod";

/**
 * Command and config schemas for the tabletop kind (seed 002).
 *
 * The core turns a frame `{"event": NAME, "data": {...}}` into `{type: NAME, ...data}`,
 * so each command is an object keyed by `type` whose other fields are the
 * seed's `data` fields. Every string and list is bounded so an oversized
 * frame is a validation error (BAD_COMMAND) and never reaches the rules.
 * Unknown fields are stripped, which is how a client-sent dice `result` or
 * `rolls` is ignored rather than trusted.
 */

export const TEXT_LIMITS = {
  chatMessage: 2000,
  whisperMessage: 2000,
  narration: 8000,
  actionType: 64,
  /** Serialized JSON length of `player_action.details`. */
  actionDetailsJson: 4000,
  /** Raw formula text; the dice parser gives the precise BAD_FORMULA beyond 100. */
  formulaRaw: 1000,
  rollLabel: 200,
  userId: 256,
  id: 128,
  name: 100,
  condition: 64,
  conditions: 20,
  combatants: 50,
  invitedPlayers: 200,
  pingTimestamp: 64,
} as const;

/** Text that must say something: bounded, and not just whitespace. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, { error: "must not be empty" });

/** A user id. Integers are accepted for clients written against the seed's numeric ids. */
const userId = z.union([z.string().min(1).max(TEXT_LIMITS.userId), z.number().int()]).transform(String);

/** Character and combatant ids: same leniency as user ids. */
const idLike = z.union([z.string().min(1).max(TEXT_LIMITS.id), z.number().int()]).transform(String);

const name = z.string().min(1).max(TEXT_LIMITS.name);

/** Any JSON value whose serialization stays small; the seed leaves action details open. */
const boundedJson = z.json().refine((v) => JSON.stringify(v).length <= TEXT_LIMITS.actionDetailsJson, {
  error: `must serialize to at most ${TEXT_LIMITS.actionDetailsJson} characters`,
});

/** A combatant as the DM sends it; missing initiative is rolled on the server (combat_update). */
export const combatantInput = z.object({
  id: idLike.optional(),
  name,
  initiative: z.number().min(-1000).max(1000).optional(),
  initiative_modifier: z.number().int().min(-100).max(100).optional(),
  user_id: userId.optional(),
  character_id: idLike.optional(),
  hp: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  max_hp: z.number().int().min(0).max(1_000_000).optional(),
  conditions: z.array(z.string().min(1).max(TEXT_LIMITS.condition)).max(TEXT_LIMITS.conditions).optional(),
  is_npc: z.boolean().optional(),
});
export type CombatantInput = z.output<typeof combatantInput>;

const combatants = z.array(combatantInput).max(TEXT_LIMITS.combatants);
const turnIndex = z.number().int().min(0).max(TEXT_LIMITS.combatants - 1);
const round = z.number().int().min(1).max(100_000);

/**
 * `turn_change.turn`: "next"/"previous" walks the initiative order; an object
 * names whose turn it is (the seed's TurnChange fields). Nulls are accepted
 * as "not given" because loosely typed clients send them.
 */
export const turnInput = z.union([
  z.enum(["next", "previous"]),
  z.object({
    current_character_id: idLike.nullish(),
    current_character_name: name.nullish(),
    current_turn: turnIndex.nullish(),
    round: round.nullish(),
    initiative_order: combatants.nullish(),
  }),
]);
export type TurnInput = z.output<typeof turnInput>;

/** `combat_update.combat`: the seed's CombatUpdate fields plus the round. */
export const combatInput = z.object({
  active: z.boolean().optional(),
  participants: combatants.optional(),
  current_turn: turnIndex.optional(),
  round: round.optional(),
});
export type CombatInput = z.output<typeof combatInput>;

const joinRoom = z.object({
  type: z.literal("join_room"),
  character_id: idLike.optional(),
  character_name: name.optional(),
});
const leaveRoom = z.object({ type: z.literal("leave_room") });
const chatMessage = z.object({ type: z.literal("chat_message"), message: text(TEXT_LIMITS.chatMessage) });
const diceRoll = z.object({
  type: z.literal("dice_roll"),
  formula: z.string().max(TEXT_LIMITS.formulaRaw),
  /** What the roll is for ("Perception"); shown with the result. */
  label: z.string().max(TEXT_LIMITS.rollLabel).optional(),
});
const dmNarration = z.object({ type: z.literal("dm_narration"), narration: text(TEXT_LIMITS.narration) });
const playerAction = z.object({
  type: z.literal("player_action"),
  action_type: z.string().min(1).max(TEXT_LIMITS.actionType),
  details: boundedJson.optional(),
});
const turnChange = z.object({ type: z.literal("turn_change"), turn: turnInput });
const combatUpdate = z.object({ type: z.literal("combat_update"), combat: combatInput });
const ping = z.object({
  type: z.literal("ping"),
  timestamp: z.union([z.number(), z.string().max(TEXT_LIMITS.pingTimestamp)]).nullish(),
});
/** Seed 002 plans "private messages (whispers)" without naming them; this is Hearth's name. */
const whisper = z.object({
  type: z.literal("whisper"),
  to_user_id: userId,
  message: text(TEXT_LIMITS.whisperMessage),
});

/**
 * The seed's own client sends the turn and combat objects as `data` itself
 * (`sendTurnChange(turn)`), while its table says `{turn}` / `{combat}`. Both
 * are accepted: a frame without the wrapper key is wrapped here.
 */
function wrapBareTurnAndCombat(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  const wrap = (key: string) => {
    const { type, ...rest } = record;
    return { type, [key]: rest };
  };
  if (record.type === "turn_change" && !("turn" in record)) return wrap("turn");
  if (record.type === "combat_update" && !("combat" in record)) return wrap("combat");
  return raw;
}

export const tabletopCommand = z.preprocess(
  wrapBareTurnAndCombat,
  z.discriminatedUnion("type", [
    joinRoom,
    leaveRoom,
    chatMessage,
    diceRoll,
    dmNarration,
    playerAction,
    turnChange,
    combatUpdate,
    ping,
    whisper,
  ]),
);
export type TabletopCommand = z.output<typeof tabletopCommand>;

/** `POST /api/sessions` body (seed 002): the DM, the campaign and optionally who is invited. */
export const tabletopConfig = z.object({
  /**
   * The session's id as the app gave it (`42` or `"table-7"`), echoed in `room_joined`, `room_left`
   * and room info. Its text is always the room id; absent in sessions created before apps chose ids.
   */
  session_id: z.union([z.string().min(1).max(64), z.number().int()]).optional(),
  campaign_id: z.union([z.string().min(1).max(TEXT_LIMITS.id), z.number().int()]),
  dm_user_id: userId,
  /** User ids allowed to connect besides the DM; absent means anyone authenticated. */
  players: z.array(userId).max(TEXT_LIMITS.invitedPlayers).optional(),
  created_at: z.iso.datetime().optional(),
});
export type TabletopConfig = z.output<typeof tabletopConfig>;
