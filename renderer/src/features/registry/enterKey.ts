/**
 * Enter in a dialog's form saves it, except where Enter already means something: while an
 * input method composes Chinese text (Enter commits the characters), in a select (Enter picks
 * the option) and in a textarea (Enter starts a new line).
 */
export function onEnterKey(event: KeyboardEvent, save: () => unknown): void {
  if (event.isComposing) return;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('.el-select, textarea')) return;
  event.preventDefault();
  void save();
}
