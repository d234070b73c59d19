import { Component } from 'react';
import { reportRenderError } from '../desktop-shell.ts';
import { ErrorBanner } from './States.tsx';

interface State {
  error?: Error;
}

/**
 * A screen that cannot load its code (the server went away before its first visit) or throws
 * while rendering says so, instead of the whole window going blank; the other screens still work.
 */
export class ScreenBoundary extends Component<{ children: React.ReactNode }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    reportRenderError(error);
  }

  override render(): React.ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <ErrorBanner
        error={{ code: 'INTERNAL', message: `This screen could not be shown: ${this.state.error.message}`, hint: 'Is the WasmForge server still running? Reload the page once it is.' }}
        onRetry={() => window.location.reload()}
      />
    );
  }
}
