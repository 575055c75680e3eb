// The session's Skills (SEP-2640): the listing, and loading one skill with every file verified. A load lists
// again first, so the files are checked against what the server says now, not against a listing kept from
// before. Route handlers call these.
import { findSkill, listSkills, loadSkill, offersSkills, SkillVerificationError, type LoadedSkill, type SkillEntry } from '../skills';
import { SessionError } from './errors';
import type { Session } from './registry';
import { skillLoadSchema } from '../contract';
import { parseBody } from './validate';

/** `GET /api/sessions/:id/skills` */
export interface SkillList {
  /** Whether the server declares the Skills extension; without it nothing is asked. */
  offered: boolean;
  skills: SkillEntry[];
}

/** `POST /api/sessions/:id/skills/load`: a refusal carries which check failed and on which file. */
export type SkillLoadResult =
  { skill: LoadedSkill } | { error: { code: 'skill_verification_failed'; message: string; check: string; uri: string } };

function connectionOf(session: Session) {
  const connection = session.connection;
  if (session.state !== 'connected' || !connection || connection.closed) {
    throw new SessionError('not_connected', `The session is ${session.state}; connect again first.`);
  }
  return connection;
}

export async function sessionSkills(session: Session): Promise<SkillList> {
  const connection = connectionOf(session);
  if (!offersSkills(connection.capabilities)) return { offered: false, skills: [] };
  return { offered: true, skills: await listSkills(connection, session.log) };
}

export function parseSkillLoad(body: unknown): { uri: string } {
  return parseBody(skillLoadSchema, body);
}

export async function loadSessionSkill(session: Session, uri: string): Promise<SkillLoadResult> {
  const { offered, skills } = await sessionSkills(session);
  if (!offered)
    throw new SessionError('invalid_request', 'The server does not declare the Skills extension (io.modelcontextprotocol/skills).');
  const entry = findSkill(skills, uri);
  if (!entry) throw new SessionError('not_found', `The server lists no skill at or named "${uri}".`);
  try {
    return { skill: await loadSkill(connectionOf(session), session.log, entry, { files: true }) };
  } catch (error) {
    if (!(error instanceof SkillVerificationError)) throw error;
    return { error: { code: error.code, message: error.message, check: error.check, uri: error.uri } };
  }
}
