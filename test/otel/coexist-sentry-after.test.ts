import { sentrySuite } from "./sentry.js";

sentrySuite("sdk-first");
