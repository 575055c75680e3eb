import type { Metadata } from 'next';
import { PublicOriginRedirect, TokensScreen } from '@/components/auth';
import { getConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Tokens' };
// The public origin comes from the environment at run time, not at build time.
export const dynamic = 'force-dynamic';

export default function TokensPage() {
  return (
    <>
      <PublicOriginRedirect publicOrigin={getConfig().publicUrl} />
      <TokensScreen />
    </>
  );
}
