/** What a component can own besides its listeners: a child component, an observer's disconnect. */
export type Owned = (() => void) | { dispose(): void };

/**
 * The pattern of a panel's parts: one root element, `render(state)` draws it from the state alone
 * (no state kept in the DOM), and every listener added through `listen`, and everything given to
 * `own`, goes away with `dispose`.
 */
export abstract class Component<State> {
  private readonly cleanups: Array<() => void> = [];

  constructor(readonly element: HTMLElement) {}

  abstract render(state: State): void;

  protected listen<K extends keyof HTMLElementEventMap>(target: HTMLElement | SVGElement, type: K, listener: (event: HTMLElementEventMap[K]) => void): void {
    const handle = listener as EventListener;
    target.addEventListener(type, handle);
    this.cleanups.push(() => target.removeEventListener(type, handle));
  }

  /** Ties `owned` to this component's life (disposed with it); returns it. */
  protected own<T extends Owned>(owned: T): T {
    this.cleanups.push(typeof owned === 'function' ? owned : () => owned.dispose());
    return owned;
  }

  dispose(): void {
    while (this.cleanups.length) this.cleanups.pop()?.();
    this.element.remove();
  }
}
