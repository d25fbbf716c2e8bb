/**
 * A fresh id for a command, unique enough that two tabs of the same user never
 * collide (the server dedupes by id, so a collision would silently swallow a
 * command). randomUUID exists in workerd and in browsers' secure contexts; the
 * fallbacks cover plain-http pages in development.
 */
export function createCommandId(): string {
  const cryptoLike = (globalThis as { crypto?: Partial<Pick<Crypto, "randomUUID" | "getRandomValues">> }).crypto;
  if (typeof cryptoLike?.randomUUID === "function") return cryptoLike.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof cryptoLike?.getRandomValues === "function") {
    cryptoLike.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
