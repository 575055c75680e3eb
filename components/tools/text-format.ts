// How to show a text content block: JSON as a tree, Markdown rendered, anything else as plain text. Pure.

export type TextFormat = 'json' | 'markdown' | 'plain';

const STRONG_MARKDOWN = [
  /^#{1,6}\s+\S/m, // heading
  /^```/m, // fenced code
  /^\s*\|.+\|\s*$\n^\s*\|?\s*:?-{3,}/m, // table header + separator
];
const WEAK_MARKDOWN = [
  /^\s*[-*+]\s+\S/m, // bullet list
  /^\s*\d+\.\s+\S/m, // numbered list
  /\*\*[^*\n]+\*\*/, // bold
  /\[[^\]\n]+\]\([^)\s]+\)/, // link
  /`[^`\n]+`/, // inline code
  /^>\s+\S/m, // quote
];

export function detectTextFormat(text: string): TextFormat {
  const trimmed = text.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      JSON.parse(trimmed);
      return 'json';
    } catch {
      // Not JSON after all; fall through.
    }
  }
  if (STRONG_MARKDOWN.some((pattern) => pattern.test(text))) return 'markdown';
  const weakHits = WEAK_MARKDOWN.filter((pattern) => pattern.test(text)).length;
  return weakHits >= 2 ? 'markdown' : 'plain';
}

/** A `data:` URL for base64 content, or undefined when the MIME type looks unsafe to put in one. */
export function dataUrl(mimeType: string | undefined, base64: string): string | undefined {
  const type = (mimeType ?? 'application/octet-stream').trim();
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(type)) return undefined;
  return `data:${type};base64,${base64.replace(/\s+/g, '')}`;
}

export function base64Size(base64: string): number {
  const clean = base64.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}
