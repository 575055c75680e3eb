import type { Metadata } from 'next';
import { SplitView } from '@/components/split';

export const metadata: Metadata = { title: 'Side by side' };

function one(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  return <SplitView a={one(query.a)} b={one(query.b)} />;
}
