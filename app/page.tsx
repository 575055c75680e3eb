import { ConnectScreen } from '@/components/connect';

export default function HomePage() {
  return <ConnectScreen />;
}
