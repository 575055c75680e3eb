'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { THEME_STORAGE_KEY } from './theme-script';

export type ThemePreference = 'system' | 'light' | 'dark';

interface ThemeContextValue {
  preference: ThemePreference;
  resolved: 'light' | 'dark';
  setPreference: (preference: ThemePreference) => void;
}

const ThemeContext = createContext<ThemeContextValue | null>(null);

/** The choice made on this page, for when storage is unavailable (private mode): it lasts for this page only. */
let pagePreference: ThemePreference = 'system';
const preferenceListeners = new Set<() => void>();

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return pagePreference;
  }
}

function subscribePreference(listener: () => void): () => void {
  preferenceListeners.add(listener);
  // A choice made in another page of mcpscope (another tab, or the split view around this framed workspace).
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    preferenceListeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

function systemPrefersDark(): boolean {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

function subscribeSystem(listener: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
}

const noSubscription = () => () => {};

export function ThemeProvider({ children }: { children: ReactNode }) {
  // The server knows neither the stored choice nor the system's: it renders 'system' and light, and the browser
  // reads both once hydrated.
  const preference = useSyncExternalStore(subscribePreference, readPreference, () => 'system' as const);
  const systemDark = useSyncExternalStore(subscribeSystem, systemPrefersDark, () => false);
  // Until hydrated, the class set by the inline head script is the truth; syncing before that would flash a
  // dark page light for a frame.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  const resolved: 'light' | 'dark' = preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;

  useEffect(() => {
    if (ready) document.documentElement.classList.toggle('dark', resolved === 'dark');
  }, [ready, resolved]);

  const setPreference = useCallback((next: ThemePreference) => {
    pagePreference = next;
    try {
      if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private mode without storage: the choice lasts for this page only (pagePreference).
    }
    for (const listener of preferenceListeners) listener();
  }, []);

  const value = useMemo(() => ({ preference, resolved, setPreference }), [preference, resolved, setPreference]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeContextValue {
  const value = useContext(ThemeContext);
  if (!value) throw new Error('useTheme must be used inside <ThemeProvider>');
  return value;
}
