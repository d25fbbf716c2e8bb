import { z } from "zod";

/** `?before=<seq>&limit=<n>` for history pages (newest first). */
export const historyQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
