// "Copy as …": code panels that copy themselves, with the shell variables a command needs and its caveats.
export { CodeToCopy, CopyAsPanel, VariableList, Warnings, useCopy, type CopyState } from './CopyAs';
export { copyText } from './clipboard';
