// How `hearth tail` and `hearth ws` print a frame: one line each. Readable by default
// (`#<seq> <name> <the rest>`), or the frame exactly as received with --json (one JSON per line).

const WIDTH = 400;

/** One readable line for a parsed frame (or a text frame that was not JSON). */
export function readableLine(frame) {
  if (typeof frame === "string") return frame;
  if (frame === null || typeof frame !== "object" || Array.isArray(frame)) return JSON.stringify(frame);
  const { type, event, seq, epoch, ...rest } = frame;
  const name = type ?? event ?? "?";
  const at = typeof seq === "number" ? `#${seq}` : "-";
  if (name === "snapshot") {
    const state = rest.state ?? rest.data?.state;
    const how = rest.recovered === false ? " (history could not be replayed: fresh state)" : "";
    return `${at} snapshot epoch=${epoch ?? "?"}${how} ${clip(JSON.stringify(state))}`;
  }
  // {event, data}: the data is the frame's content.
  const body = event !== undefined && Object.keys(rest).length === 1 && "data" in rest ? rest.data : rest;
  const shown = body !== null && typeof body === "object" && Object.keys(body).length === 0 ? "" : ` ${clip(JSON.stringify(body))}`;
  return `${at} ${name}${shown}`;
}

/** The line printed for a frame: readable, or the frame as one JSON line (--json). */
export function frameLine(frame, json) {
  return json ? JSON.stringify(frame) : readableLine(frame);
}

/** A batch frame's elements (`?batch=1`), or the frame itself. */
export function unbatch(frame) {
  const name = frame?.type ?? frame?.event;
  if (name !== "batch") return [frame];
  const frames = frame.frames ?? frame.data?.frames;
  return Array.isArray(frames) ? frames : [frame];
}

/** Parses a text frame; text that is not JSON (`pong`) stays a string. */
export function parseFrame(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function clip(text) {
  if (text === undefined) return "";
  return text.length > WIDTH ? `${text.slice(0, WIDTH - 1)}…` : text;
}
