/**
 * The page's files: index.html, its scripts and style.css next to this module (`page/`; the build
 * copies them into dist), and xterm.js with its stylesheet from the installed `@xterm/xterm`
 * package. Read once, on first use; the HTML gets the token written into its asset links.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const SCRIPT = 'text/javascript; charset=utf-8';
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/common.js': { file: 'common.js', type: SCRIPT },
  '/model.js': { file: 'model.js', type: SCRIPT },
  '/view.js': { file: 'view.js', type: SCRIPT },
  '/terminal.js': { file: 'terminal.js', type: SCRIPT },
  '/app.js': { file: 'app.js', type: SCRIPT },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const XTERM_FILES: Record<string, { file: string; type: string }> = {
  '/xterm.js': { file: 'lib/xterm.js', type: 'text/javascript; charset=utf-8' },
  '/xterm.css': { file: 'css/xterm.css', type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, Buffer>();

function read(path: string): Buffer {
  let body = cache.get(path);
  if (!body) cache.set(path, (body = readFileSync(path)));
  return body;
}

/** Where the page's files are: `page/` next to this module. */
export const PAGE_DIRECTORY = join(__dirname, 'page');

/** An asset by its URL path; undefined when there is none. */
export function asset(pathname: string): Asset | undefined {
  const page = PAGE_FILES[pathname];
  if (page) return { type: page.type, body: read(join(PAGE_DIRECTORY, page.file)) };
  const xterm = XTERM_FILES[pathname];
  if (xterm) {
    const root = dirname(require.resolve('@xterm/xterm/package.json'));
    return { type: xterm.type, body: read(join(root, xterm.file)) };
  }
  return undefined;
}

/** index.html with the token in its links (the token is base64url: nothing to escape). */
export function indexPage(token: string): Asset {
  const html = read(join(PAGE_DIRECTORY, 'index.html')).toString('utf8').replaceAll('{{token}}', encodeURIComponent(token));
  return { type: 'text/html; charset=utf-8', body: Buffer.from(html) };
}
