export { ArgumentFields, CompletionInput, type ArgumentField, type CompletionRef } from './CompletionInput';
