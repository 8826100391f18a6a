/**
 * How tests and benchmarks start Chromium: Debian's build (Playwright's own download is not
 * reachable here), with software WebGL kept available for the map (Chromium no longer falls
 * back to it silently) and without the background traffic a closed network refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=Translate',
];
