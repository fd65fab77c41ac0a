interface ImportMetaEnv {
  /** The OpenID Provider's issuer URL, given at build time. */
  readonly VITE_TK_ISSUER: string
}
