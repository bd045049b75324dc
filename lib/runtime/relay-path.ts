/** Where a process worker's relay requests go (public/sw.js holds them: it has its own copy of this path). */
export const RELAY_PATH = "/__spawnpoint/relay";
