// TSX in a script (no import or export): type names and JSX names are never writes.
type Props = { title: string; onSave(value: string): void };
interface State { saved: boolean }

function Editor(props: Props) {
  const save = (value: string): State => {
    draft = value; // expect: implicit-global "`draft`"
    props.onSave(value);
    return { saved: true };
  };
  return <this.Frame title={props.title} onSave={save}><Props.Hint /></this.Frame>; // ok: implicit-global
}
Props = null; // expect: implicit-global "`Props`" -- a type is not a value
