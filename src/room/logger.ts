/** Structured one-line JSON logs: what Workers Logs and `wrangler tail` index best. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (event, fields) => console.log(JSON.stringify({ level: "info", event, ...fields })),
  warn: (event, fields) => console.warn(JSON.stringify({ level: "warn", event, ...fields })),
  error: (event, fields) => console.error(JSON.stringify({ level: "error", event, ...fields })),
};

/** A logger whose every line also carries `fields` (the room's name, a request id). */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  return {
    info: (event, f) => log.info(event, { ...fields, ...f }),
    warn: (event, f) => log.warn(event, { ...fields, ...f }),
    error: (event, f) => log.error(event, { ...fields, ...f }),
  };
}
