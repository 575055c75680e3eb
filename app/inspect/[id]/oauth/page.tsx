import type { Metadata } from 'next';
import { GuidedFlow } from '@/components/auth';

export const metadata: Metadata = { title: 'Guided OAuth' };

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default async function GuidedOAuthPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <GuidedFlow sessionId={safeDecode(id)} />;
}
