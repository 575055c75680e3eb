import type { Metadata } from 'next';
import { GuidedFlow } from '@/components/auth';
import { decodedId, type IdParams } from '@/app/id-param';

export const metadata: Metadata = { title: 'Guided OAuth' };

export default async function GuidedOAuthPage(props: IdParams) {
  return <GuidedFlow sessionId={await decodedId(props)} />;
}
