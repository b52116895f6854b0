/**
 * The origin of the page this code runs in: a global `location` with an http(s) origin
 * (a browser window, a web worker, Deno with `--location`). Undefined in servers, Bun,
 * Cloudflare Workers, and pages without an http(s) origin (`file:`, an opaque sandbox), where
 * "the page's own origin" means nothing.
 *
 * @example
 * pageOrigin() // 'https://shop.example.com' in a page there; undefined in Node
 */
export function pageOrigin(): string | undefined {
  try {
    const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin
    return typeof origin === 'string' && /^https?:\/\//.test(origin) ? origin : undefined
  } catch {
    // Deno throws when `location` is read without `--location`.
    return undefined
  }
}
