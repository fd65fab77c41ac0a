import { Orders } from '../status'

export default function OrdersPage() {
  return <Orders />
}
