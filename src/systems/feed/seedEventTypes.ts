/** Seed 003's four workflow steps (the demo's buttons; any other type may be published too). No imports: the demo bundles it. */
export const SEED_EVENT_TYPES = ["workflow.started", "tournament.registered", "players.assigned", "teams.locked"] as const;
export type SeedEventType = (typeof SEED_EVENT_TYPES)[number];
