/** Presentation keyboard map (pure, so it is unit-tested without a browser). */

export type PresentAction =
  | { type: "next" }
  | { type: "previous" }
  | { type: "first" }
  | { type: "last" }
  | { type: "digit"; digit: string }
  | { type: "jump" }
  | { type: "cancel" }
  | { type: "fullscreen" }
  | { type: "zoom"; by: 1 | -1 | 0 }
  | { type: "presenter" }
  | { type: "exit" };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

/**
 * @param pendingDigits whether a slide number is being typed (Enter then jumps, Esc cancels it)
 */
export function actionForKey(e: KeyInput, pendingDigits: boolean): PresentAction | null {
  // Browser and OS shortcuts (Ctrl+F, Cmd+R, Ctrl+Plus) stay theirs.
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case "ArrowRight":
    case "ArrowDown":
    case "PageDown":
      return { type: "next" };
    case " ":
      return e.shiftKey ? { type: "previous" } : { type: "next" };
    case "ArrowLeft":
    case "ArrowUp":
    case "PageUp":
      return { type: "previous" };
    case "Home":
      return { type: "first" };
    case "End":
      return { type: "last" };
    case "Enter":
      return pendingDigits ? { type: "jump" } : null;
    case "Escape":
      return pendingDigits ? { type: "cancel" } : { type: "exit" };
    case "f":
    case "F":
      return { type: "fullscreen" };
    case "+":
    case "=":
      return { type: "zoom", by: 1 };
    case "-":
    case "_":
      return { type: "zoom", by: -1 };
    case "0":
      return pendingDigits ? { type: "digit", digit: "0" } : { type: "zoom", by: 0 };
    case "s":
    case "S":
      return { type: "presenter" };
    default:
      return /^[1-9]$/.test(e.key) ? { type: "digit", digit: e.key } : null;
  }
}

/**
 * Keys typed into an editor, terminal, form field or any widget that handled them are not ours:
 * the slide must not move while someone types `x = 1` into Monaco or steps a scheduler.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const el = target as Element;
  return Boolean(
    el.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], .monaco-editor, .xterm, [role='slider'], [role='tablist'], [data-present-keys='own']"),
  );
}
