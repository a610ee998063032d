import { sentrySuite } from "./sentry.js";

sentrySuite("sentry-first");
