import pkg from "../package.json" with { type: "json" };

/** The SDK's version, from package.json. */
export const VERSION: string = pkg.version;

/**
 * The SDK's version, under Bento's documented name (the same value as `VERSION`).
 *
 * @example
 * console.log(`@bentolabs/sdk ${bento.SDK_VERSION}`);
 */
export const SDK_VERSION: string = VERSION;
