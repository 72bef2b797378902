// Opens a report page (sparkify report) in headless Chromium, Debian's,
// through puppeteer-core, with every request but the page itself refused,
// and checks what a reader would see: no console error or uncaught
// exception, no request leaving the page, every chart's canvas drawn (some
// pixel painted), a table of figures beside each chart, no sideways
// scrolling at the width given, each --expect-text in the page's text, and
// no script of the data's running (window.pwned unset). Saves a screenshot
// (the full page, or --viewport-only) and, with --pdf, prints the page.
// Prints a JSON summary; exits 0 when every check holds, 1 naming what
// failed, 77 when Chromium or puppeteer-core is missing (a skip).
//   node tests/tools/page_check.mjs PAGE.html SHOT.png [--width 1280] [--height 900]
//        [--viewport-only] [--pdf OUT.pdf] [--expect-text TEXT]…
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const page_path = args[0];
const shot_path = args[1];
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const expected_texts = args.flatMap((arg, i) => (arg === '--expect-text' ? [args[i + 1]] : []));
const width = Number(option('--width', '1280'));
const height = Number(option('--height', '900'));
const pdf_path = option('--pdf', null);
const chromium = process.env.SPARKIFY_CHROMIUM || '/usr/bin/chromium';

if (!page_path || !shot_path) {
  process.stderr.write('usage: page_check.mjs PAGE.html SHOT.png [options]\n');
  process.exit(2);
}
if (!existsSync(chromium)) {
  process.stderr.write(`no Chromium at ${chromium}: run scripts/install-deps.sh (Debian's chromium)\n`);
  process.exit(77);
}
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch {
  process.stderr.write('puppeteer-core is not installed: run scripts/install-test-tools.sh\n');
  process.exit(77);
}

const problems = [];
const page_url = pathToFileURL(resolve(page_path)).href;
// Root in a container: Chromium's sandbox needs user namespaces it may not
// have. The page is the tool's own output, opened offline.
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions',
         '--font-render-hinting=none'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === page_url || request.url().startsWith('data:')) {
      request.continue();
    } else {
      problems.push(`request left the page: ${request.url()}`);
      request.abort();
    }
  });
  await page.goto(page_url, { waitUntil: 'load' });
  const seen = await page.evaluate(() => {
    const report = JSON.parse(document.getElementById('report-data').textContent);
    const charts = report.charts.map((spec) => {
      const section = document.getElementById(spec.id);
      const canvas = document.getElementById('canvas-' + spec.id);
      let painted = 0;
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      }
      return {
        id: spec.id,
        rows: spec.labels.length,
        canvas: Boolean(canvas),
        painted,
        chart: Boolean(canvas && window.Chart && window.Chart.getChart(canvas)),
        table_rows: section ? section.querySelectorAll('table tbody tr').length : 0,
      };
    });
    return {
      charts,
      drawn: Number(document.documentElement.getAttribute('data-charts-drawn') || 0),
      text: document.body.innerText,
      scroll_width: document.documentElement.scrollWidth,
      client_width: document.documentElement.clientWidth,
      pwned: window.pwned === undefined ? null : String(window.pwned),
    };
  });
  for (const chart of seen.charts) {
    if (chart.table_rows === 0) problems.push(`chart ${chart.id}: no table of figures`);
    if (chart.rows === 0) continue;  // nothing to draw: the page says so
    if (!chart.canvas || !chart.chart) problems.push(`chart ${chart.id}: not drawn`);
    else if (chart.painted === 0) problems.push(`chart ${chart.id}: its canvas is blank`);
  }
  const with_rows = seen.charts.filter((chart) => chart.rows > 0).length;
  if (seen.drawn !== with_rows) problems.push(`${seen.drawn} charts drawn of the ${with_rows} with figures`);
  if (seen.scroll_width > seen.client_width) {
    problems.push(`the page scrolls sideways at ${width} px: ${seen.scroll_width} px wide`);
  }
  if (seen.pwned !== null) problems.push(`a script from the data ran: window.pwned = ${seen.pwned}`);
  for (const text of expected_texts) {
    if (!seen.text.includes(text)) problems.push(`the page's text lacks ${JSON.stringify(text)}`);
  }
  await page.screenshot({ path: shot_path, fullPage: !args.includes('--viewport-only') });
  if (pdf_path) {
    await page.emulateMediaType('print');
    await page.pdf({ path: pdf_path, format: 'A4', printBackground: true });
  }
  process.stdout.write(JSON.stringify({
    charts: seen.charts.length,
    drawn: seen.drawn,
    with_rows,
    problems,
  }) + '\n');
} finally {
  await browser.close();
}
if (problems.length > 0) {
  process.stderr.write(problems.join('\n') + '\n');
  process.exit(1);
}
