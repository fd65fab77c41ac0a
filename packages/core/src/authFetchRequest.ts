// What createAuthFetch takes from oauth4webapi, loaded with its first request. Named imports in a
// module of their own: `import('oauth4webapi')` itself would keep all of oauth4webapi in the
// bundle, shared with the protocol's chunk, since a namespace loaded at run time cannot be tree-shaken.
export { allowInsecureRequests, customFetch, protectedResourceRequest, WWWAuthenticateChallengeError } from 'oauth4webapi'
