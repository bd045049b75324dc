import type { ComponentPropsWithoutRef } from "react";

type HeadingProps = ComponentPropsWithoutRef<"h2">;

/** Lesson headings with a visible-on-hover `#` link, so every section can be linked. */
function make(Tag: "h2" | "h3" | "h4") {
  function AnchorHeading({ id, children, ...rest }: HeadingProps) {
    return (
      <Tag id={id} {...rest}>
        {children}
        {id && (
          <a href={`#${id}`} className="heading-anchor" aria-hidden="true" tabIndex={-1}>
            #
          </a>
        )}
      </Tag>
    );
  }
  AnchorHeading.displayName = `AnchorHeading(${Tag})`;
  return AnchorHeading;
}

export const H2 = make("h2");
export const H3 = make("h3");
export const H4 = make("h4");
