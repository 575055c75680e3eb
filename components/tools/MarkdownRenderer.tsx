'use client';

import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { safeServerHref } from '@/lib/url-policy';

const PLUGINS = [remarkGfm];

/**
 * Links in a server's Markdown go only to https/http pages (lib/url-policy): no javascript:, data: or relative
 * links into mcpscope itself; such a link renders as its text. Images may also be inline data: images (an
 * <img> never runs script).
 */
function serverUrlOnly(url: string, key: string): string | undefined {
  if (key === 'src' && /^data:image\/[\w.+-]+[;,]/i.test(url)) return url;
  return safeServerHref(url);
}

/** Markdown from a tool result (loaded on demand through `Markdown`). Raw HTML is not rendered (react-markdown's default), links open in a new tab. */
export default function MarkdownRenderer({
  text,
  images = true,
  className,
  testId = 'markdown',
}: {
  text: string;
  images?: boolean;
  className?: string;
  testId?: string;
}) {
  return (
    <div className={className ? `md ${className}` : 'md'} data-testid={testId}>
      <ReactMarkdown
        remarkPlugins={PLUGINS}
        urlTransform={serverUrlOnly}
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
          ...(images ? {} : { img: ({ alt }: { alt?: string }) => <span className="text-faint">[image{alt ? `: ${alt}` : ''}]</span> }),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
