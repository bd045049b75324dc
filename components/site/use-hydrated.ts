import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and while React hydrates it, true from the first render after.
 * A button in the server's HTML looks clickable before the page's script has run, and a click
 * then does nothing: actions that need the script stay disabled until they would work.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
