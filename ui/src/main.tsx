import { render } from "preact";
import { App } from "./App";
import { keepFocus } from "./focus";
import "./styles.css";

const root = document.getElementById("app");
if (root) {
  render(<App />, root);
  keepFocus(root);
}
