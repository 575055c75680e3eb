export { FindingsView } from './FindingsView';
