import type { AuthClient } from '@tokenkeep/core'

/** The page address each client saw before its first start(), which may rewrite it. */
const addresses = new WeakMap<AuthClient, string>()

/**
 * Starts `client`, first noting the page address: `start()` removes `code`/`state` from the
 * address bar and puts back the `returnTo` page, and the router guard compares against it.
 * Internal to this package.
 */
export function startClient(client: AuthClient): Promise<void> {
  if (!addresses.has(client)) addresses.set(client, location.href)
  return client.start()
}

/** The address noted by {@link startClient}, if it ran for this client. */
export function addressBeforeStart(client: AuthClient): string | undefined {
  return addresses.get(client)
}
