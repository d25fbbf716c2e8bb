import { createApp } from "./app.ts";

export { RoomObject } from "../room/RoomObject.ts";
export default createApp();
