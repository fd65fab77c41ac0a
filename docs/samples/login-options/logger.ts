import { createAuthClient, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
declare const telemetry: { track(name: string, data: unknown): void }
// ---cut---
createAuthClient({ ...options, logger: console })
createAuthClient({ ...options, logger: (entry) => telemetry.track('auth', entry) })
