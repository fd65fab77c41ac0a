// ID token signatures (protocol.verifySignature): jose is imported on first use only, so clients
// without the option never load it.
import type { HttpOptions } from './flows/http'
import type { IdTokenSignatureCheck } from './flows/idTokenSignature'
import type { ProtocolOptions } from './options'
import { AuthError } from './kit'

export function lazySignatureCheck(opts: ProtocolOptions, http: HttpOptions): IdTokenSignatureCheck | undefined {
  if (!opts.verifySignature) return undefined
  let check: Promise<IdTokenSignatureCheck> | undefined
  return async (as, idToken) => {
    check ??= import('./flows/idTokenSignature')
      .then((m) => m.createIdTokenSignatureCheck(opts.clientId, http, (code, message, cause) => new AuthError(code, message, { cause })))
      .catch((cause: unknown) => {
        check = undefined
        throw new AuthError('ERR_NETWORK', 'Could not load the ID token verification code', { cause })
      })
    await (await check)(as, idToken)
  }
}
