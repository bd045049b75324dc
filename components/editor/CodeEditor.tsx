"use client";

/**
 * One file's code. First paint is the server-rendered shiki HTML (or plain text for an
 * edited file) inside a box whose height is reserved from the line count. Monaco replaces
 * it when the box nears the viewport (after the page's Python has loaded: ./runtime.ts
 * afterRuntimeLoads) or gets focus, in the same box, with the same font,
 * line height and padding: nothing below moves. On touch (coarse pointer) a plain
 * textarea is used instead: Monaco's editing is poor on phone keyboards.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { editor as MonacoEditorNS } from "monaco-editor/editor/editor.api";
import { loadMonaco, EDITOR_THEMES } from "./monaco";
import { afterRuntimeLoads } from "./runtime";
import { useSiteTheme } from "./use-site-theme";

/** Shared metrics of the static view, the textarea and Monaco. */
export const LINE_HEIGHT = 20;
export const FONT_SIZE = 14;
export const PAD_Y = 12;
const FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
/** Never taller than this; longer code scrolls inside the editor. */
const MAX_LINES = 40;

export function editorHeight(code: string): number {
  const lines = Math.min(MAX_LINES, code.replace(/\n$/, "").split("\n").length);
  return lines * LINE_HEIGHT + 2 * PAD_Y;
}

export interface CodeEditorProps {
  /** Path of the file (also the Monaco model's URI). */
  file: string;
  language: string;
  value: string;
  /** shiki HTML of `value` (only when `value` is the lesson's original code). */
  html?: string;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun(): void;
  /**
   * Bumped by the owner when `value` changes from outside the editor (Reset, a share link,
   * saved edits). Only then is the editor's text replaced: echoing back every keystroke
   * would race with typing (React state lags the editor) and scramble the text.
   */
  revision: number;
  label: string;
  tabHint: string;
  /** Never load Monaco: the code stays the static (highlighted or plain) view, e.g. in the presenter's slide previews. */
  staticOnly?: boolean;
  /** Gutter markers (step mode: each process's current line, in its colour). */
  markers?: readonly LineMarker[];
}

export interface LineMarker {
  /** 1-based. */
  line: number;
  /** Colour class (components/editor/step/colours.ts). */
  className: string;
  /** What the marker stands for ("MainProcess (pid 2)"), for hover and tests. */
  label: string;
}

/** The static and touch views' twin of Monaco's line decorations: bars at the lines' offsets. */
function MarkerOverlay({ markers }: { markers: readonly LineMarker[] }) {
  return (
    <>
      {markers.map((m, i) => (
        <span
          key={`${m.line}-${m.className}-${i}`}
          className={`sp-step-overlay ${m.className}`}
          data-marker-line={m.line}
          title={m.label}
          aria-hidden="true"
          style={{ top: PAD_Y + (m.line - 1) * LINE_HEIGHT, height: LINE_HEIGHT, transform: `translateX(${markers.slice(0, i).filter((o) => o.line === m.line).length * 8}px)` }}
        />
      ))}
    </>
  );
}

function subscribeCoarse(cb: () => void) {
  const mq = matchMedia("(pointer: coarse)");
  mq.addEventListener("change", cb);
  return () => mq.removeEventListener("change", cb);
}

export function CodeEditor(props: CodeEditorProps) {
  const { value, html, label } = props;
  const coarse = useSyncExternalStore(subscribeCoarse, () => matchMedia("(pointer: coarse)").matches, () => false);
  const [near, setNear] = useState(false);
  const [wanted, setWanted] = useState(false);
  const [ready, setReady] = useState(false);
  const [height, setHeight] = useState(() => editorHeight(value));
  const box = useRef<HTMLDivElement>(null);

  // Load Monaco when the block comes within ~one screen of the viewport, once the page's
  // Python has loaded (at once when the reader focuses or taps the code).
  useEffect(() => {
    if (coarse || near || wanted || props.staticOnly || !box.current) return;
    // (On touch nothing loads until the reader taps the code.)
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: "400px 0px" });
    io.observe(box.current);
    return () => io.disconnect();
  }, [coarse, near, wanted, props.staticOnly]);
  useEffect(() => {
    if (coarse || !near || wanted || props.staticOnly) return;
    return afterRuntimeLoads(() => setWanted(true));
  }, [coarse, near, wanted, props.staticOnly]);

  const staticView = (
    <div
      className="sp-code-static absolute inset-0 overflow-auto"
      style={{ visibility: ready ? "hidden" : "visible" }}
      aria-hidden={ready || undefined}
      tabIndex={ready ? -1 : 0}
      role={ready ? undefined : "textbox"}
      aria-readonly={ready ? undefined : true}
      aria-label={ready ? undefined : label}
      onFocus={() => setWanted(!props.staticOnly)}
      onPointerDown={() => setWanted(!props.staticOnly)}
    >
      {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <pre className="shiki"><code>{value}</code></pre>}
      {props.markers?.length ? <MarkerOverlay markers={props.markers} /> : null}
    </div>
  );

  return (
    <div
      className="sp-code-editor"
      // Ctrl/Cmd+Enter runs, whichever editor is showing (static, Monaco or textarea).
      // Capture phase: before Monaco's own Enter handling sees the key.
      onKeyDownCapture={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          e.stopPropagation();
          props.onRun();
        }
      }}
    >
      <div ref={box} className="sp-code relative" style={{ height }} data-editor={ready ? "monaco" : !wanted ? "static" : coarse ? "textarea" : "loading"}>
        {coarse && wanted ? (
          // Touch: the highlighted code stays until the reader taps it, then a textarea of the
          // same size takes its place (and grows with the text).
          <>
            <TouchEditor {...props} onHeight={setHeight} />
            {props.markers?.length ? <MarkerOverlay markers={props.markers} /> : null}
          </>
        ) : (
          <>
            {staticView}
            {wanted && !coarse ? <MonacoView {...props} onReady={() => setReady(true)} onHeight={setHeight} /> : null}
          </>
        )}
        {/* Shown while the editor has focus, over the code (so it never moves the page). */}
        {!coarse && ready ? <p className="sp-tab-hint">{props.tabHint}</p> : null}
      </div>
    </div>
  );
}

function TouchEditor({ value, onChange, label, onHeight }: CodeEditorProps & { onHeight(h: number): void }) {
  return (
    <textarea
      className="sp-code-textarea absolute inset-0 block h-full w-full resize-none bg-transparent"
      aria-label={label}
      value={value}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      autoFocus
      wrap="off"
      style={{ fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, lineHeight: `${LINE_HEIGHT}px`, padding: `${PAD_Y}px 16px` }}
      onChange={(e) => {
        onChange(e.target.value);
        onHeight(editorHeight(e.target.value));
      }}
    />
  );
}

function MonacoView({
  file,
  language,
  value,
  revision,
  onChange,
  onRun,
  label,
  onReady,
  onHeight,
  markers,
}: CodeEditorProps & { onReady(): void; onHeight(h: number): void }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditorNS.IStandaloneCodeEditor | null>(null);
  const theme = useSiteTheme();
  const themeRef = useRef(theme);
  // Latest callbacks without re-creating the editor on every render.
  const cb = useRef({ onChange, onRun, onReady, onHeight });
  // Monaco loads asynchronously: create the model from the value current at that moment
  // (a share link or saved edit may have replaced the lesson's code meanwhile).
  const latestValue = useRef(value);
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    cb.current = { onChange, onRun, onReady, onHeight };
    latestValue.current = value;
  });

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void loadMonaco().then((monaco) => {
      if (disposed || !host.current) return;
      const model = monaco.editor.createModel(latestValue.current, language === "python" ? "python" : language === "json" ? "json" : "plaintext");
      const ed = monaco.editor.create(host.current, {
        model,
        theme: EDITOR_THEMES[themeRef.current],
        fontFamily: FONT_FAMILY,
        fontSize: FONT_SIZE,
        lineHeight: LINE_HEIGHT,
        padding: { top: PAD_Y, bottom: PAD_Y },
        lineNumbers: "off",
        glyphMargin: false,
        folding: false,
        lineDecorationsWidth: 16,
        lineNumbersMinChars: 0,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        renderLineHighlight: "none",
        overviewRulerLanes: 0,
        hideCursorInOverviewRuler: true,
        scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
        automaticLayout: true,
        tabSize: 4,
        insertSpaces: true,
        detectIndentation: false,
        fixedOverflowWidgets: true,
        ariaLabel: label,
        accessibilitySupport: "auto",
        stickyScroll: { enabled: false },
        // Lessons are short programs read closely: pop-up word suggestions only distract.
        quickSuggestions: false,
        suggestOnTriggerCharacters: false,
        wordBasedSuggestions: "off",
        parameterHints: { enabled: false },
        contextmenu: true,
      });
      editorRef.current = ed;
      const sub = ed.onDidChangeModelContent(() => cb.current.onChange(model.getValue()));
      const size = ed.onDidContentSizeChange((e) => {
        const max = 40 * LINE_HEIGHT + 2 * PAD_Y;
        cb.current.onHeight(Math.min(max, e.contentHeight));
      });
      // Keep focus where the reader put it: if the static view had focus, move it in.
      const hadFocus = host.current.parentElement?.contains(document.activeElement) ?? false;
      cb.current.onReady();
      setMounted(true);
      if (hadFocus) ed.focus();
      cleanup = () => {
        sub.dispose();
        size.dispose();
        decorations.current = null;
        ed.dispose();
        model.dispose();
        editorRef.current = null;
      };
    });
    return () => {
      disposed = true;
      cleanup();
    };
    // The editor is created once per file; later value changes come from the editor itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file]);

  // Step mode's markers as line decorations in the gutter (Monaco draws them; they scroll with the code).
  const decorations = useRef<MonacoEditorNS.IEditorDecorationsCollection | null>(null);
  useEffect(() => {
    const ed = editorRef.current;
    if (!ed) return;
    decorations.current ??= ed.createDecorationsCollection();
    decorations.current.set(
      (markers ?? []).map((m) => ({
        range: { startLineNumber: m.line, startColumn: 1, endLineNumber: m.line, endColumn: 1 },
        options: { isWholeLine: true, linesDecorationsClassName: `sp-step-mark ${m.className}`, linesDecorationsTooltip: m.label },
      })),
    );
  }, [markers, mounted]);

  // External value changes (Reset, a share link): replace the model's text.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== latestValue.current) model.setValue(latestValue.current);
  }, [revision]);

  useEffect(() => {
    themeRef.current = theme;
    void loadMonaco().then((m) => m.editor.setTheme(EDITOR_THEMES[theme]));
  }, [theme]);

  return <div ref={host} className="sp-monaco absolute inset-0" data-testid="monaco-host" />;
}
