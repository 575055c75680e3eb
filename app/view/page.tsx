import type { Metadata } from 'next';
import { OpenedFileView } from '@/components/import';

export const metadata: Metadata = { title: 'Opened file' };

export default function ViewPage() {
  return <OpenedFileView />;
}
