// Worker threads cannot load TypeScript by themselves: register tsx in this thread, then
// load the real entry. (Node 20 does not apply --import hooks to a worker's main module.)
import { register } from "tsx/esm/api";

register();
await import("./node-entry.ts");
