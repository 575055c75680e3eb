// POST /api/sessions/:id/skills/load {uri} → {skill} with every file verified (size, sha256, frontmatter), or
// 422 {error: {code: "skill_verification_failed", check, uri, message}}: nothing unverified is returned.
import { json, loadSessionSkill, parseSkillLoad, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const { uri } = parseSkillLoad(await readJson(request));
  const outcome = await loadSessionSkill(session, uri);
  return json(outcome, 'error' in outcome ? 422 : 200);
});
