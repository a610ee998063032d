import { APP_JS } from "./js/app.js";
import { COMPARE_JS } from "./js/compare.js";
import { CORE_JS } from "./js/core.js";
import { GROUPS_JS } from "./js/groups.js";
import { PANEL_JS } from "./js/panel.js";
import { RUNS_JS } from "./js/runs.js";
import { TRACE_JS } from "./js/trace.js";

/**
 * The viewer's browser script: vanilla JS, no dependencies, no CDN, shipped inside the bundle.
 * Its parts (./js/*) share one function scope; the router (app) comes last.
 */
export const VIEWER_JS = [
  '"use strict";',
  "(function () {",
  CORE_JS,
  RUNS_JS,
  TRACE_JS,
  PANEL_JS,
  GROUPS_JS,
  COMPARE_JS,
  APP_JS,
  "})();",
  "",
].join("\n");
