"use client";

/**
 * Lets components inside a presentation (editors, terminals, scheduler views) mirror their state
 * to the presenter window. Outside a presentation the hook returns null and components behave as
 * on the reading page.
 *
 *   const sync = usePresentationSync();
 *   useEffect(() => sync?.on("editor", (m) => { if (m.id === id) setFiles(m.files); }), [sync, id]);
 *   onChange = (files) => sync?.post({ type: "editor", id, files });
 */
import { createContext, useContext } from "react";
import type { PresentationSync } from "./sync";

export const PresentationSyncContext = createContext<PresentationSync | null>(null);

export function usePresentationSync(): PresentationSync | null {
  return useContext(PresentationSyncContext);
}

/**
 * True inside the presenter window's slide previews (inert pictures of the slides). Heavy
 * components (editors booting Python, terminals) can render their static form there:
 *
 *   if (useIsPresentationPreview()) return <StaticCode … />;
 */
export const PresentationPreviewContext = createContext(false);

export function useIsPresentationPreview(): boolean {
  return useContext(PresentationPreviewContext);
}
