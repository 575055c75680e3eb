export { ConnectScreen } from './ConnectScreen';
