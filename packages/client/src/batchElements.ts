/** The frames of a batch frame (`{type:"batch",frames}` or `{event:"batch",data:{frames}}`), else undefined. */
export function batchElements(frame: Record<string, unknown>): unknown[] | undefined {
  if (frame.type === "batch" && Array.isArray(frame.frames)) return frame.frames;
  const data = frame.data as { frames?: unknown } | undefined;
  if (frame.event === "batch" && typeof data === "object" && data !== null && Array.isArray(data.frames)) return data.frames;
  return undefined;
}
