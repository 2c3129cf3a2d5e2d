// The width of an element in CSS pixels, kept up to date as it resizes (a window turned, a sidebar
// folded): charts draw at their real width, so their text keeps its size from 390 px up.
import { useCallback, useState } from "react";

/** `[ref, width]`: put `ref` on the element; `width` is 0 until it is measured. */
export function useElementWidth<T extends HTMLElement>(): [(element: T | null) => () => void, number] {
  const [width, setWidth] = useState(0);
  const ref = useCallback((element: T | null) => {
    if (!element) return () => undefined;
    setWidth(Math.floor(element.getBoundingClientRect().width));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
