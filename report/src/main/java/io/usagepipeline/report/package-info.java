/**
 * Statements (DESIGN §5b): one self-contained HTML page per tenant and month, with its charge lines, a day-by-day
 * chart per license type, each line's evidence and the month's alerts, and an index of every tenant; rendered from
 * the committed topics with Mustache templates and inline SVG.
 */
package io.usagepipeline.report;
