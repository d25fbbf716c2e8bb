/** Refusing an upgrade with a close code, the one way (src/room/refuseWithClose.ts), as routes name it. */
export { refuseWithClose as closeWith } from "../room/refuseWithClose.ts";
