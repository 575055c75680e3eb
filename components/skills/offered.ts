// Whether a session's server declares the Skills extension (SEP-2640): apart from the view, so the workspace can
// decide to show the tab without loading it.
import type { SessionSummary } from '@/lib/contract';

export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';

export function sessionOffersSkills(summary: SessionSummary | undefined): boolean {
  const extensions = (summary?.server?.capabilities as { extensions?: Record<string, unknown> } | undefined)?.extensions;
  return !!extensions && typeof extensions === 'object' && Object.hasOwn(extensions, SKILLS_EXTENSION);
}
