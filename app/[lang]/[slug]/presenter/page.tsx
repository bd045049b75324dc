import { PresentationPage, presentationMetadata, presentationStaticParams, type PresentationRouteParams } from "@/components/present/PresentationPage";

/** The presenter window (opened with S from the presentation): current and next slide, notes, timer. */
export const generateStaticParams = presentationStaticParams;

export function generateMetadata(props: PresentationRouteParams) {
  return presentationMetadata(props, "presenter");
}

export default function PresenterRoute(props: PresentationRouteParams) {
  return <PresentationPage {...props} mode="presenter" />;
}
