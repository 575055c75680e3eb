// POST /api/sessions/:id/skills/load {uri} → {skill} with every file verified (size, sha256, frontmatter), or
// 422 {error: {code: "skill_verification_failed", check, uri, message}}: nothing unverified is returned.
import { findSession, fromError, json, loadSessionSkill, notFound, parseSkillLoad, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const { uri } = parseSkillLoad(await readJson(request));
    const outcome = await loadSessionSkill(session, uri);
    return json(outcome, 'error' in outcome ? 422 : 200);
  } catch (error) {
    return fromError(error);
  }
}
