import type { Metadata } from 'next';
import { Workspace } from '@/components/workspace';
import { decodedId, type IdParams } from '@/app/id-param';

export const metadata: Metadata = { title: 'Session' };

export default async function InspectPage(props: IdParams) {
  return <Workspace sessionId={await decodedId(props)} />;
}
