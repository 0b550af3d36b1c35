// A browser script with JSX: tag names are references (or plain tags), never writes.
function Counter(props) {
  const Label = props.label;
  return (
    <div onClick={() => { clicked = true; /* expect: implicit-global "`clicked`" */ }}>
      <Label text={props.text} />
      <Missing.Part />
      <svg:rect xlink:href="#a" />
    </div>
  );
}
const onReset = () => { clicked = false; }; // ok: implicit-global -- one finding per name, at its first write
