/** A default Next.js App Router app. */
export default {}
