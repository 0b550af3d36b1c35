// corpus: filename=hooks.tsx
// TypeScript React: hooks and a class component.
import * as React from "react";
import { EventEmitter } from "events";

export const notifications = new EventEmitter();

type Props = { id: string };

// a custom hook: runs in every component that calls it
export function useNotifications(id: string): string[] {
  const [items, setItems] = React.useState<string[]>([]);
  React.useEffect(() => {
    notifications.on(id, (n: string) => setItems((xs) => [...xs, n])); // expect: listener-leak "module-level `notifications`"
  }, [id]);
  return items;
}

// the fixed hook
export function useNotification(id: string): string | null {
  const [item, setItem] = React.useState<string | null>(null);
  React.useEffect(() => {
    const onNote = (n: string): void => setItem(n);
    notifications.on(id, onNote); // ok: listener-leak
    return () => {
      notifications.off(id, onNote);
    };
  }, [id]);
  return item;
}

// a listener added during render (not even in an effect)
function Badge({ id }: Props) {
  document.addEventListener("badge:" + id, () => console.log(id)); // expect: listener-leak "every render of `Badge`"
  return <span>{id}</span>;
}
export default Badge;

// a class component with a bound handler removed on unmount
export class Online extends React.Component<Props> {
  private readonly handle: () => void;
  constructor(props: Props) {
    super(props);
    this.handle = this.onChange.bind(this);
  }
  componentDidMount(): void {
    window.addEventListener("online", this.handle); // ok: listener-leak
    window.addEventListener("offline", this.handle as EventListener); // ok: listener-leak
  }
  componentWillUnmount(): void {
    window.removeEventListener("online", this.handle);
    window.removeEventListener("offline", this.handle!);
  }
  onChange(): void {
    this.forceUpdate();
  }
  render() {
    return <i />;
  }
}
