export { PromptsView } from './PromptsView';
