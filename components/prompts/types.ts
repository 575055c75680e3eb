import type { ContentBlock } from '../api';

export interface PromptArgumentInfo {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface PromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgumentInfo[];
}

export interface PromptMessage {
  role: string;
  content: ContentBlock;
}

export interface GetPromptResult {
  description?: string;
  messages?: PromptMessage[];
}
