/**
 * Resolves `path` against the current origin and returns it as path + query + hash, or
 * `undefined` when it would leave the origin (`//evil.example`, `https://...`, `/\evil`).
 */
export function sameOriginPath(path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) {
    return undefined
  }
  try {
    const url = new URL(path, location.origin)
    return url.origin === location.origin ? url.pathname + url.search + url.hash : undefined
  } catch {
    return undefined
  }
}
