// Runs inline in <head> before first paint so a stored or system dark theme never flashes light.
export const THEME_STORAGE_KEY = 'mcpscope.theme';

export const themeInitScript = `(function(){try{var k=${JSON.stringify(THEME_STORAGE_KEY)};var t=localStorage.getItem(k);var d=t==='dark'||((t!=='light')&&window.matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d);}catch(e){}})();`;
