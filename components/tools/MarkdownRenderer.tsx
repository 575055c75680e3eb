'use client';

import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

const PLUGINS = [remarkGfm];

/** Markdown from a tool result (loaded on demand through `Markdown`). Raw HTML is not rendered (react-markdown's default), links open in a new tab. */
export default function MarkdownRenderer({ text }: { text: string }) {
  return (
    <div className="md" data-testid="markdown">
      <ReactMarkdown
        remarkPlugins={PLUGINS}
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
