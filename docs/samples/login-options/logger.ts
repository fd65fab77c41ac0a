import { createAuthClient, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
declare const telemetry: { track(name: string, data: unknown): void }
// ---cut---
import { debugLogger } from '@tokenkeep/core'

createAuthClient({ ...options, logger: debugLogger(console) })
createAuthClient({ ...options, logger: debugLogger((entry) => telemetry.track('auth', entry)) })
