/** The `ws:`/`wss:` URL of `path` on the host this request came to. */
export function socketUrl(requestUrl: string, path: string): string {
  const url = new URL(path, requestUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
