import { z } from "zod";

/**
 * A workflow event as services publish it (seed 003). Unknown `type`s are welcome: services add
 * workflow steps. Sizes are bounded here; the whole body is also capped at 64 KiB by the worker.
 */
export const publishBody = z
  .object({
    type: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and . _ : -"),
    tournamentId: z.string().min(1).max(200),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type PublishBody = z.infer<typeof publishBody>;
