import { PublicOriginRedirect } from '@/components/auth';
import { ConnectScreen } from '@/components/connect';
import { getConfig } from '@/lib/config';

// The public origin comes from the environment at run time, not at build time.
export const dynamic = 'force-dynamic';

export default function HomePage() {
  const publicOrigin = getConfig().publicUrl;
  return (
    <>
      <PublicOriginRedirect publicOrigin={publicOrigin} />
      <ConnectScreen publicOrigin={publicOrigin} />
    </>
  );
}
