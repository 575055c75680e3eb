import type { HeaderList } from '@/lib/trace/types';
import { cn } from '../ui';

// The headers that tell a person which MCP session and protocol version an exchange belongs to.
const HIGHLIGHT = new Set(['mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'www-authenticate']);

export function HeadersTable({ headers, testId }: { headers: HeaderList | undefined; testId?: string }) {
  if (!headers || headers.length === 0) return <div className="px-3 py-1 text-xs text-faint">No headers</div>;
  return (
    <table className="w-full table-fixed font-mono text-xs" data-testid={testId}>
      <tbody>
        {headers.map(([name, value], index) => {
          const highlighted = HIGHLIGHT.has(name.toLowerCase());
          return (
            <tr key={`${name}-${index}`} data-header={name.toLowerCase()} className={cn('align-top', highlighted && 'bg-accent-soft')}>
              <td className={cn('w-[38%] py-0.5 pr-2 pl-3 break-words text-muted', highlighted && 'font-semibold text-accent')}>{name}</td>
              <td className="py-0.5 pr-3 break-all select-text">{value}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
