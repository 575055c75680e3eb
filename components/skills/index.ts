// The Skills tab (SEP-2640): the server's skills, loaded and verified on request.
export { SkillsView } from './SkillsView';
export { sessionOffersSkills, SKILLS_EXTENSION } from './offered';
