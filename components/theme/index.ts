export { ThemeProvider, useTheme, type ThemePreference } from './ThemeProvider';
export { ThemeToggle } from './ThemeToggle';
export { themeInitScript, THEME_STORAGE_KEY } from './theme-script';
