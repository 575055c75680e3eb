import type { Metadata } from 'next';
import { SharedSessionPage } from '@/components/share';

export const metadata: Metadata = {
  title: 'Shared session',
  // A shared log is for the people given the link.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default async function SharePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SharedSessionPage shareId={safeDecode(id)} />;
}
