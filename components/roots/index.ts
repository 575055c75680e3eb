export { RootsEditor } from './RootsEditor';
