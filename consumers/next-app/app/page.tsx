import { Status } from './status'

export default function Home() {
  return <Status />
}
