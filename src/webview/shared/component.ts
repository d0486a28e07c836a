/**
 * The pattern of a panel's parts: one root element, `render(state)` draws it from the state alone
 * (no state kept in the DOM), and every listener added through `listen` goes away with `dispose`.
 */
export abstract class Component<State> {
  private readonly cleanups: Array<() => void> = [];

  constructor(readonly element: HTMLElement) {}

  abstract render(state: State): void;

  protected listen<K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, listener: (event: HTMLElementEventMap[K]) => void): void {
    target.addEventListener(type, listener);
    this.cleanups.push(() => target.removeEventListener(type, listener));
  }

  dispose(): void {
    while (this.cleanups.length) this.cleanups.pop()?.();
    this.element.remove();
  }
}
