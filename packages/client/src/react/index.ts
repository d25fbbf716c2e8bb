/**
 * `@hearth/client/react`: React bindings for the Hearth client SDK. Kept out of
 * `@hearth/client` so the core SDK stays free of React; `react` (>= 18) is an optional
 * peer dependency needed only by this entry.
 */
export { useHearth, type UseHearthOptions, type UseHearthResult } from "./useHearth.js";
export { HearthStore, type HearthStoreOptions, type HearthView } from "./hearthStore.js";
