import { Validator, type Schema } from "@cfworker/json-schema";
import { SELF } from "cloudflare:test";
import { expect } from "vitest";

type Json = Record<string, any>;

export interface CallOptions {
  /** Values for the template's `{name}` parts (URL-encoded here). */
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A bearer token in `Authorization`; null or absent: none. */
  token?: string | null;
  /** JSON-encoded unless a string (sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Ask for a WebSocket (`Upgrade: websocket`); an accepted socket is closed at once. */
  upgrade?: boolean;
}

export interface Answer {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

const isSuccess = (status: number) => status === 101 || (status >= 200 && status < 300);

/**
 * The API's contract as /openapi.json states it, checked against real calls:
 * every answer's status must be documented for its operation, and its body
 * must validate against the documented schema. Which statuses each operation
 * was seen to answer is kept, so a test can require a success and an error of
 * every one.
 */
export class Contract {
  readonly seen = new Map<string, Set<number>>();
  readonly #validators = new Map<string, Validator>();

  private constructor(readonly doc: Json) {}

  static async load(): Promise<Contract> {
    const res = await SELF.fetch("https://hearth.test/openapi.json");
    expect(res.status).toBe(200);
    return new Contract(await res.json());
  }

  /** Every documented operation as `METHOD /path/{param}`. */
  operations(): string[] {
    return Object.entries(this.doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  }

  operation(key: string): Json {
    const [method, path] = key.split(" ") as [string, string];
    return this.doc.paths[path]?.[method.toLowerCase()];
  }

  /** A response schema with the document's shared schemas beside it, so its refs resolve. */
  #validator(key: string, status: number, schema: Json): Validator {
    const id = `${key} ${status}`;
    let v = this.#validators.get(id);
    if (!v) {
      const shared = JSON.parse(JSON.stringify(this.doc.components?.schemas ?? {}).replaceAll("#/components/schemas/", "#/$defs/"));
      const local = JSON.parse(JSON.stringify(schema).replaceAll("#/components/schemas/", "#/$defs/"));
      v = new Validator({ ...local, $defs: shared } as Schema, "2020-12", false);
      this.#validators.set(id, v);
    }
    return v;
  }

  /** Makes the call through the Worker and checks the answer against the document. */
  async call(key: string, options: CallOptions = {}): Promise<Answer> {
    const op = this.operation(key);
    expect(op, `${key} is not in /openapi.json`).toBeDefined();
    const [method, template] = key.split(" ") as [string, string];
    const path = template.replace(/\{([A-Za-z_]+)\}/g, (_, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`${key}: no value for {${name}}`);
      return encodeURIComponent(value);
    });
    const query = options.query ? `?${new URLSearchParams(options.query)}` : "";
    const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    const res = await SELF.fetch(`https://hearth.test${path}${query}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(options.upgrade ? { Upgrade: "websocket" } : {}),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    if (res.webSocket) {
      res.webSocket.accept();
      res.webSocket.close(1000, "contract test");
    }
    const text = res.status === 101 ? "" : await res.text();
    const problems = this.problems(key, res.status, res.headers.get("content-type") ?? "", text);
    expect(problems, `${key} answered ${res.status}: ${text.slice(0, 500)}`).toEqual([]);
    const documented = op.responses[String(res.status)];
    const json = documented.content?.["application/json"] ? JSON.parse(text) : null;
    const seen = this.seen.get(key) ?? new Set<number>();
    seen.add(res.status);
    this.seen.set(key, seen);
    return { status: res.status, json, text, headers: res.headers };
  }

  /** What is wrong with an answer, by the document: its status isn't listed, its content type or body isn't the documented one. */
  problems(key: string, status: number, contentType: string, text: string): string[] {
    const op = this.operation(key);
    const documented = op?.responses[String(status)];
    if (!documented) return [`status ${status} is not documented (${Object.keys(op?.responses ?? {}).join(", ")})`];
    const media = documented.content ? (Object.keys(documented.content)[0] as string) : undefined;
    if (!media) return [];
    if (!contentType.includes(media)) return [`content type ${contentType}, documented ${media}`];
    let instance: unknown = text;
    if (media === "application/json") {
      try {
        instance = JSON.parse(text);
      } catch {
        return ["the body is not JSON"];
      }
    }
    const result = this.#validator(key, status, documented.content[media].schema).validate(instance);
    return result.valid ? [] : result.errors.slice(-5).map((e) => `${e.instanceLocation}: ${e.error}`);
  }

  /** Makes the call and requires this status (then checks it against the document, as `call` does). */
  async expect(key: string, status: number, options: CallOptions = {}): Promise<Answer> {
    const answer = await this.call(key, options);
    expect(answer.status, `${key}: ${answer.text.slice(0, 300)}`).toBe(status);
    return answer;
  }

  /** Operations not yet seen to answer both a success and an error (`exempt`: those that have no error a caller can cause). */
  gaps(exempt: readonly string[]): string[] {
    return this.operations().flatMap((key) => {
      const statuses = [...(this.seen.get(key) ?? [])];
      const missing = [
        ...(statuses.some(isSuccess) ? [] : ["a success"]),
        ...(statuses.some((s) => !isSuccess(s)) || exempt.includes(key) ? [] : ["an error"]),
      ];
      return missing.length ? [`${key}: no ${missing.join(" and no ")} seen (saw ${statuses.join(", ") || "nothing"})`] : [];
    });
  }
}
