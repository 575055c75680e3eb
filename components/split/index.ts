export { SplitView } from './SplitView';
