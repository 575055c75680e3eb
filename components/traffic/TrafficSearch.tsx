'use client';

import { useWorkspaceNav } from '../nav';
import { SearchBox } from '../ui';

/** The Traffic view's filter text (HTTP exchanges or stdio lines): kept in the workspace's navigation state. */
export function TrafficSearch({ placeholder, title, label }: { placeholder: string; title: string; label: string }) {
  const nav = useWorkspaceNav();
  return (
    <SearchBox
      look="toolbar"
      className="w-56 min-w-24 shrink"
      value={nav.traffic.text}
      onSearch={(value) => nav.setTraffic({ text: value })}
      placeholder={placeholder}
      title={title}
      data-testid="traffic-filter"
      aria-label={label}
    />
  );
}
