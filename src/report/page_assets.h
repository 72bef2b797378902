// The style sheet and the script of the report's page (html_page.cpp).
#pragma once

namespace sparkify::report {

// Screen (one column below 760 px) and print rules.
extern const char* const kPageStyle;

// Reads the figures from <script id="report-data" type="application/json">
// and draws each chart into <canvas id="canvas-ID"> with Chart.js, at twice
// the screen's resolution at least, so that a chart scaled to the paper's
// width stays sharp; before printing, opens every <details>.
extern const char* const kPageScript;

}  // namespace sparkify::report
