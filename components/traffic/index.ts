export { TrafficView } from './TrafficView';
