import type { Metadata } from 'next';
import { Workspace } from '@/components/workspace';

export const metadata: Metadata = { title: 'Session' };

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default async function InspectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Workspace sessionId={safeDecode(id)} />;
}
