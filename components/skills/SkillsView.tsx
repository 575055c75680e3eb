'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import type { SessionSummary } from '@/lib/contract';
import { queryKeys, request, type ApiError } from '../api';
import { Badge, Button, EmptyState, IconAlert, JsonTree, ListNote, ListOption, Spinner, useStickyState } from '../ui';
import { SKILLS_EXTENSION, sessionOffersSkills as offersSkills } from './offered';

/** A skill as `skills/list` described it (SEP-2640). */
interface SkillEntry {
  uri: string;
  frontmatter: Record<string, unknown>;
  resources: Array<{ uri: string; digest: string; size: number }>;
}

interface LoadedSkill {
  entry: SkillEntry;
  body: string;
  files: Array<{ uri: string; digest: string; size: number; text?: string }>;
}

/**
 * The server's skills (SEP-2640): the listing, and for one skill "Load", which reads its files on the server and
 * verifies each against the listing (size, sha256 digest, SKILL.md frontmatter) before showing anything. Nothing
 * is read before the person asks.
 */
export function SkillsView({ sessionId, summary }: { sessionId: string; summary: SessionSummary | undefined }) {
  const connected = summary?.state === 'connected';
  const offered = offersSkills(summary);
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/skills`;
  const list = useQuery<{ offered: boolean; skills: SkillEntry[] }, ApiError>({
    queryKey: queryKeys.skills(sessionId),
    queryFn: () => request(path),
    enabled: connected && offered,
  });
  const [selected, setSelected] = useStickyState<string | null>(sessionId, 'skills-selected', null);
  const load = useMutation<{ skill: LoadedSkill }, ApiError, string>({
    mutationFn: (uri) => request(`${path}/load`, { method: 'POST', json: { uri } }),
  });

  if (!connected) return <EmptyState title="Not connected">Connect to list the server’s skills.</EmptyState>;
  if (!offered)
    return (
      <EmptyState title="This server offers no skills" testId="skills-none">
        It does not declare the Skills extension ({SKILLS_EXTENSION}).
      </EmptyState>
    );
  if (list.isPending) return <EmptyState title="Listing skills…" icon={<Spinner />} />;
  if (list.isError) return <EmptyState title="Listing skills failed">{list.error.message}</EmptyState>;
  const skills = list.data.skills;
  const skill = skills.find((s) => s.uri === selected);
  const loaded = load.data?.skill.entry.uri === skill?.uri ? load.data?.skill : undefined;

  return (
    <div className="flex h-full min-h-0" data-testid="skills-view">
      <aside className="w-[300px] shrink-0 overflow-auto border-r border-line bg-panel py-1" role="listbox" aria-label="Skills">
        {skills.length === 0 && <ListNote>The server lists no skills.</ListNote>}
        {skills.map((s) => (
          <ListOption
            key={s.uri}
            selected={s.uri === selected}
            onClick={() => setSelected(s.uri)}
            data-testid={`skill-item-${String(s.frontmatter.name ?? s.uri)}`}
          >
            <span className="block truncate text-[13px] font-medium">{String(s.frontmatter.name ?? s.uri)}</span>
            <span className="block truncate text-[11px] text-muted">
              {typeof s.frontmatter.description === 'string' ? s.frontmatter.description : s.uri}
            </span>
          </ListOption>
        ))}
      </aside>
      <section className="min-w-0 flex-1 overflow-auto p-4" data-testid="skill-detail">
        {!skill ? (
          <EmptyState title="Choose a skill">Its files are read, and verified, only when you load it.</EmptyState>
        ) : (
          <div className="space-y-3">
            <div className="flex items-center gap-2">
              <h2 className="text-[15px] font-semibold">{String(skill.frontmatter.name ?? skill.uri)}</h2>
              <span className="truncate font-mono text-xs text-muted">{skill.uri}</span>
              <Button
                className="ml-auto"
                variant="primary"
                size="sm"
                onClick={() => load.mutate(skill.uri)}
                disabled={load.isPending}
                data-testid="skill-load"
              >
                {load.isPending ? <Spinner className="h-3 w-3" /> : null} Load and verify
              </Button>
            </div>
            <div>
              <div className="field-label">Frontmatter, as listed</div>
              <JsonTree data={skill.frontmatter} expandDepth={2} />
            </div>
            <div>
              <div className="field-label">Files, as listed (each read and checked only on load)</div>
              <table className="w-full text-xs">
                <thead>
                  <tr className="text-left text-[11px] text-muted">
                    <th className="py-1 font-medium">file</th>
                    <th className="py-1 text-right font-medium">size</th>
                    <th className="py-1 pl-2 font-medium">digest</th>
                    <th className="py-1 pl-2 font-medium">status</th>
                  </tr>
                </thead>
                <tbody>
                  {skill.resources.map((file) => {
                    const verified = loaded?.files.some((f) => f.uri === file.uri);
                    return (
                      <tr key={file.uri} className="border-t border-line" data-testid="skill-file">
                        <td className="py-1 font-mono">{file.uri}</td>
                        <td className="py-1 text-right font-mono text-muted">{file.size} B</td>
                        <td className="py-1 pl-2 font-mono text-[10px] text-faint" title={file.digest}>
                          {file.digest.slice(0, 19)}…
                        </td>
                        <td className="py-1 pl-2">
                          {verified ? (
                            <Badge tone="ok">verified</Badge>
                          ) : (
                            <Badge>{load.isError && load.variables === skill.uri ? 'not loaded' : 'not read'}</Badge>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {load.isError && load.variables === skill.uri && (
              <div role="alert" className="flex gap-2 rounded border border-err/40 bg-err-soft p-2 text-[13px]" data-testid="skill-refused">
                <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
                <div>
                  <div className="font-semibold text-err">Not loaded: a file failed verification</div>
                  <div className="break-all">{load.error.message}</div>
                  <div className="font-mono text-[11px] text-err/80">{load.error.code}</div>
                </div>
              </div>
            )}
            {loaded && (
              <div>
                <div className="field-label">SKILL.md, after its frontmatter (as text, never run)</div>
                <pre className="rounded border border-line bg-panel-2 p-3 text-xs whitespace-pre-wrap" data-testid="skill-body">
                  {loaded.body.replace(/^(\r?\n)+/, '')}
                </pre>
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
