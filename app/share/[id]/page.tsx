import type { Metadata } from 'next';
import { SharedSessionPage } from '@/components/share';
import { decodedId, type IdParams } from '@/app/id-param';

export const metadata: Metadata = {
  title: 'Shared session',
  // A shared log is for the people given the link.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default async function SharePage(props: IdParams) {
  return <SharedSessionPage shareId={await decodedId(props)} />;
}
