// SEP-2640 Skills from the host's side: listing, loading with verification (size, digest, frontmatter), never a
// file the listing does not name and never one ahead of need.
export {
  SKILLS_EXTENSION,
  SkillVerificationError,
  entryProblem,
  findSkill,
  listSkills,
  loadSkill,
  offersSkills,
  readSkillFile,
} from './skills';
export type { LoadedSkill, SkillCheck, SkillEntry, SkillFile, VerifiedFile } from './skills';
export { FrontmatterError, frontmatterDifferences, parseFrontmatter, splitFrontmatter, type YamlValue } from './frontmatter';
