// The PromQL editor: CodeMirror 6 with Prometheus' PromQL language support, which completes
// metric names, label names and label values from this aggregator's API.
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';

/**
 * Mounts an editor in `parent` holding `doc`; Enter calls `onRun` (Shift+Enter is a new line),
 * as in Prometheus' UI. Returns the view.
 */
export function promqlEditor(parent, doc, onRun) {
  const promql = new PromQLExtension().activateCompletion(true).activateLinter(true).setComplete({
    remote: {
      url: location.origin,
      // GET: the completion requests are small and GET needs no form parsing.
      httpMethod: 'GET',
      // Completion is a convenience: a failed lookup must not disturb typing.
      httpErrorHandler: () => {},
    },
  });
  const run = () => {
    onRun();
    return true;
  };
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        history(),
        closeBrackets(),
        bracketMatching(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle),
        placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
        EditorView.lineWrapping,
        promql.asExtension(),
        // Below the completion's own Enter (accept), above the default newline.
        Prec.high(keymap.of([{ key: 'Enter', run }, { key: 'Shift-Enter', run: insertNewlineAndIndent }])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
      ],
    }),
  });
}
