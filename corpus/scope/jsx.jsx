// JSX: capitalised and member tag names are references, lower-case tags and attribute names are not.
import React from "react";
import { Panel } from "./panel";

export function App({ items, theme }) {
  const _Private = Panel;
  const rows = items.map((item) => <Panel.Row key={item}>{item}</Panel.Row>);
//                                  ^ defined: 3 (import)
//                                                               ^ no-reference
//                                                        ^ defined: 7 (param)
//                                            ^ no-reference
  const list = <ul className="list">{rows}</ul>;
//              ^ no-reference
//                 ^ no-reference
//                                   ^ defined: 7 (const)
  const icon = <svg:rect xlink:href="#top" />;
//              ^ no-reference
//                       ^ no-reference
  return <Panel theme={theme}>{list}{icon}<_Private /></Panel>;
//        ^ defined: 3 (import)
//                     ^ defined: 5 (param)
//                                         ^ defined: 6 (const)
//                                                      ^ no-reference
}
/**/ React;
//   ^ defined: 2 (import)
