// The running mcpscope's version, written into exports and shares so a reader knows what made a file.
import pkg from '../../package.json';

export const MCPSCOPE_VERSION: string = pkg.version;
