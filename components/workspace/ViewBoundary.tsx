'use client';

import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, IconAlert } from '../ui';

// A view renders what a server sent, and a server nobody vetted can send shapes no view was written for. A crash
// while rendering one view must leave the rest of the workspace (header, tabs, the other views, the log) working,
// say what broke, and offer a way back. React catches render errors only in a class component.

interface Props {
  /** The view's name, as on its tab. */
  view: string;
  /** Another view to go to (the Timeline, which reads only mcpscope's own log). */
  onLeave?: () => void;
  leaveLabel?: string;
  /** Run before drawing again: drops what made the view fail when the view would draw it again (a tool's result). */
  onRetry?: () => void;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** The most a person is shown of an error's text: it may quote a server's data. */
const MAX_MESSAGE = 500;

export class ViewBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.view} view crashed`, error, info.componentStack);
  }

  private readonly retry = () => {
    this.props.onRetry?.();
    this.setState({ error: null });
  };

  render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const message = error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message;
    return (
      <div
        role="alert"
        data-testid="view-error"
        data-view={this.props.view}
        className="flex h-full items-start justify-center overflow-auto p-6"
      >
        <div className="w-full max-w-xl rounded-md border border-err/40 bg-err-soft p-4 text-[13px]">
          <div className="flex items-center gap-2 font-semibold text-err">
            <IconAlert className="h-4 w-4 shrink-0" />
            The {this.props.view} view could not show this data
          </div>
          <p className="mt-1.5 text-fg">
            Something the server sent made this view fail while drawing it. The session and its log are fine; the other views still work,
            and the data is in Traffic and Messages as it came.
          </p>
          <pre
            className="mt-2 max-h-40 overflow-auto rounded border border-line bg-panel px-2 py-1.5 font-mono text-[11px] whitespace-pre-wrap break-words"
            data-testid="view-error-message"
          >
            {error.name}: {message}
          </pre>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button size="sm" variant="primary" onClick={this.retry} data-testid="view-error-retry">
              Try again
            </Button>
            {this.props.onLeave && (
              <Button size="sm" onClick={this.props.onLeave} data-testid="view-error-leave">
                {this.props.leaveLabel ?? 'Go to the Timeline'}
              </Button>
            )}
          </div>
        </div>
      </div>
    );
  }
}
