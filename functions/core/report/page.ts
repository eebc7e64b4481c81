/**
 * The shell every page nsm writes shares (a night's `report.html`, the index `latest.html`): one
 * self-contained HTML document with the report's inline CSS and a Content-Security-Policy meta
 * tag that makes the browser refuse any script or network request.
 */
import { html, raw, type SafeHtml } from './escape';
import { REPORT_CSS } from './styles';

/** No scripts, no connections, no external anything; inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A whole page: `title` in the head, `main` (already safe markup) as the body's `<main>`. */
export function renderPage(title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="nsm-nightly">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`.value;
}
