// A TypeScript program with node16 resolution that imports every entry of the three packages,
// proves their types are real (not `any`), and runs the client in plain Node, where there is no
// browser: start() settles, the snapshot says so, login() and getAccessToken() reject typed.
import { AuthError, createAuthClient, isAuthError, type AuthErrorCode, type AuthSnapshot } from '@tokenkeep/core'
import { AuthProvider, type AuthProviderProps } from '@tokenkeep/react'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard, type AuthGuardOptions } from '@tokenkeep/vue/router'
import { createTestAuthClient as reactTestClient } from '@tokenkeep/react/testing'
import { createTestAuthClient as vueTestClient, type TestAuthOptions } from '@tokenkeep/vue/testing'

// Never called: each line fails to compile if the types resolved to `any`, because an unused
// expect-error directive is itself an error; so the type-check proves the types are real.
export function typesAreReal(): void {
  // @ts-expect-error issuer, clientId and redirectUri are required
  createAuthClient({})
  // @ts-expect-error not a storage name
  createAuthClient({ issuer: 'https://id.example.test', clientId: 'c', redirectUri: 'https://app.example.test/cb', storage: 'cookies' })
  // @ts-expect-error not an error code
  const wrongCode: AuthErrorCode = 'ERR_NOPE'
  // @ts-expect-error the guard's fallback is a route location, not a number
  const wrongGuard: AuthGuardOptions = { fallback: 42 }
  // @ts-expect-error a provider needs a client
  const wrongProps: AuthProviderProps = {}
  // @ts-expect-error not a status
  const wrongTestState: TestAuthOptions = { status: 'signedIn' }
  void [wrongCode, wrongGuard, wrongProps, wrongTestState]
}

const auth = createAuthClient({ issuer: 'https://id.example.test', clientId: 'c', redirectUri: 'https://app.example.test/callback' })
const seen: AuthSnapshot['status'][] = []
const unsubscribe = auth.subscribe(() => seen.push(auth.getSnapshot().status))

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return e instanceof AuthError ? e.code : `not an AuthError: ${String(e)}`
  }
}

const started = await auth.start().then(() => 'settled', (e: unknown) => `rejected: ${String(e)}`)
const snapshot = auth.getSnapshot()
const result = {
  started,
  status: snapshot.status,
  errorCode: snapshot.error?.code ?? null,
  noBrowser: isAuthError(snapshot.error, 'ERR_NO_BROWSER'),
  seen,
  login: await rejection(auth.login()),
  getAccessToken: await rejection(auth.getAccessToken()),
  stopped: (() => {
    auth.stop()
    unsubscribe()
    return true
  })(),
  adapters: [typeof AuthProvider, typeof createAuthPlugin, typeof createAuthGuard],
  // The test doubles' errors are AuthErrors for the app's own checks, without loading the client.
  testDoubles: [reactTestClient, vueTestClient].map((create) => {
    const double = create({ status: 'authenticated' })
    double.endSession()
    return isAuthError(double.getSnapshot().error, 'ERR_SESSION_EXPIRED')
  }),
}
console.log(JSON.stringify(result))
