'use client';

import { IconButton, IconMonitor, IconMoon, IconSun } from '../ui';
import { useTheme, type ThemePreference } from './ThemeProvider';

const NEXT: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemePreference, string> = {
  system: 'Theme: follows the system',
  light: 'Theme: light',
  dark: 'Theme: dark',
};

export function ThemeToggle() {
  const { preference, setPreference } = useTheme();
  const Icon = preference === 'dark' ? IconMoon : preference === 'light' ? IconSun : IconMonitor;
  return (
    <IconButton
      data-testid="theme-toggle"
      onClick={() => setPreference(NEXT[preference])}
      title={`${LABEL[preference]} (click to change)`}
      label={LABEL[preference]}
      size="md"
      tone="muted"
    >
      <Icon />
    </IconButton>
  );
}
