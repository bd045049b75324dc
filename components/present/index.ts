export { Presentation, type PresentationProps, type LessonSummary } from "./Presentation";
export { usePresentationSync, PresentationSyncContext, useIsPresentationPreview, PresentationPreviewContext } from "./use-presentation-sync";
export { PresentationSync, channelName, type PresentSyncMessage, type PresentSyncType, type SharedLiveSession } from "./sync";
export { splitIntoSlides, type SlideSource } from "./build-slides";
export { useEditorMirror, useOutputMirror } from "./mirror";
export { PresentLink } from "./PresentLink";
