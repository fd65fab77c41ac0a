/**
 * A name to show. Providers may put only `sub` in the ID token and the profile claims in
 * userinfo alone, so never count on `name`.
 */
export function displayName(user: Readonly<Record<string, unknown>> | null): string {
  for (const claim of ['name', 'preferred_username', 'email', 'sub']) {
    const value = user?.[claim]
    if (typeof value === 'string' && value !== '') return value
  }
  return 'you'
}
