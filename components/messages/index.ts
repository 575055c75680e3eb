export { MessagesView } from './MessagesView';
export { rpcErrorName } from './rpc-errors';
