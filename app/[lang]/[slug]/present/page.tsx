import { PresentationPage, presentationMetadata, presentationStaticParams, type PresentationRouteParams } from "@/components/present/PresentationPage";

/** The lesson as slides for a projector; `?slide=N` picks the slide, `?join=CODE` follows a live session. */
export const generateStaticParams = presentationStaticParams;

export function generateMetadata(props: PresentationRouteParams) {
  return presentationMetadata(props, "audience");
}

export default function PresentRoute(props: PresentationRouteParams) {
  return <PresentationPage {...props} mode="audience" />;
}
